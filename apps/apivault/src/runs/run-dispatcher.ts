import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { RunClaimRepository, SourceRepository, type RunRecord } from '#catalog';
import { LOGGER, RUN_SCHEDULES, RUN_ENGINE_SETTINGS } from '../core/tokens.js';
import { RunCancellation, RunReleasedError } from '../run-control/run-cancellation.js';
import { ReplicaIdentity } from './replica-identity.js';
import type { RunEngineSettings } from './run-engine-settings.js';
import { RunExecutor } from './run-executor.js';

/**
 * Each replica's worker loop: claims due runs (queued slots, retries whose backoff passed, runs
 * whose replica died) within the global limit, executes them, and on shutdown stops claiming,
 * lets running runs finish within the grace period and hands the rest back to the queue.
 * Runs only in the daemon; the CLI executes the runs it starts itself.
 */
@Injectable()
export class RunDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly executions = new Map<string, Promise<RunRecord>>();
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private stopping = false;

  constructor(
    private readonly claims: RunClaimRepository,
    private readonly sources: SourceRepository,
    private readonly executor: RunExecutor,
    private readonly replica: ReplicaIdentity,
    private readonly cancellation: RunCancellation,
    @Inject(RUN_SCHEDULES) private readonly enabled: boolean,
    @Inject(RUN_ENGINE_SETTINGS) private readonly engine: RunEngineSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.wake(), this.engine.pollMs);
    this.timer.unref();
    this.logger.info({ replica: this.replica.id, leaseMs: this.engine.leaseMs, maxParallelRuns: this.engine.maxParallelRuns }, 'run dispatcher started');
    this.wake();
  }

  /** Whether this process claims queued runs (the daemon) or only runs what it starts (the CLI). */
  get dispatching(): boolean {
    return this.enabled && !this.stopping;
  }

  /** Looks for due runs now (a slot was queued here, a run ended and made room). */
  wake(): void {
    if (!this.dispatching) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  /** Executes a run this replica claimed, tracked for shutdown; resolves when it ended. */
  launch(run: RunRecord, sourceName?: string): Promise<RunRecord> {
    const execution = (async () => {
      const source = await this.sources.findById(run.sourceId);
      if (!source) throw new Error(`source ${run.sourceId} of run ${run.id} no longer exists`);
      return this.executor.execute(run, source, this.replica.id);
    })()
      .catch((error: unknown) => {
        this.logger.error({ runId: run.id, source: sourceName, err: error }, 'run could not start');
        return run;
      })
      .finally(() => {
        this.executions.delete(run.id);
        this.wake();
      });
    this.executions.set(run.id, execution);
    return execution;
  }

  private async pump(): Promise<void> {
    try {
      while (this.dispatching) {
        const run = await this.claims.claimNext({ owner: this.replica.id, leaseMs: this.engine.leaseMs, maxParallel: this.engine.maxParallelRuns });
        if (!run) return;
        this.logger.info({ runId: run.id, sourceId: run.sourceId, slot: run.slot, attempt: run.attempt }, 'run claimed');
        void this.launch(run);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not claim runs; trying again at the next poll');
    }
  }

  /** SIGTERM: no new runs; running ones get the grace period, then go back to the queue. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
    if (this.executions.size === 0) return;
    this.logger.info({ runs: [...this.executions.keys()], graceMs: this.engine.shutdownGraceMs }, 'shutting down: waiting for running runs to finish');
    const all = Promise.allSettled([...this.executions.values()]);
    const graceOver = await Promise.race([all.then(() => false), delay(this.engine.shutdownGraceMs).then(() => true)]);
    if (graceOver) {
      const left = [...this.executions.keys()];
      this.logger.warn({ runs: left }, 'grace period over: handing the remaining runs back to the queue for another replica');
      for (const runId of left) this.cancellation.abort(runId, new RunReleasedError());
      await all;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
