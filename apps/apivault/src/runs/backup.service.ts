import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { RunClaimRepository, RunRepository, type RunRecord } from '#catalog';
import { LOGGER, RUN_ENGINE_SETTINGS } from '../core/tokens.js';
import { ConflictError } from '../http/app-errors.js';
import { SourcesService } from '../sources/sources.service.js';
import { ReplicaIdentity } from './replica-identity.js';
import { RunDispatcher } from './run-dispatcher.js';
import type { RunEngineSettings } from './run-engine-settings.js';

/**
 * Manual backups ("run now"), from the API, the CLI and the demo. A source whose run is executing
 * somewhere is refused with the run's id; a run of the source that is waiting (queued for its
 * slot or a retry, or abandoned by a replica that died) is run now instead of adding another.
 */
@Injectable()
export class BackupService {
  constructor(
    private readonly sources: SourcesService,
    private readonly claims: RunClaimRepository,
    private readonly runs: RunRepository,
    private readonly dispatcher: RunDispatcher,
    private readonly replica: ReplicaIdentity,
    @Inject(RUN_ENGINE_SETTINGS) private readonly engine: RunEngineSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Starts a run in the background (the API answers 202 at once). In the daemon the global limit
   * applies: beyond it the run is queued and the first replica with room runs it.
   */
  async start(sourceIdOrName: string, trigger: string): Promise<RunRecord> {
    const claim = await this.claim(sourceIdOrName, trigger, this.dispatcher.dispatching);
    if ('queued' in claim) {
      this.logger.info({ runId: claim.queued.id, maxParallelRuns: this.engine.maxParallelRuns }, 'run queued: the limit of parallel runs is reached');
      return claim.queued;
    }
    void this.dispatcher.launch(claim.claimed);
    return claim.claimed;
  }

  /**
   * Runs a source to its end in this process (CLI, demo), retries included: a retryable failure
   * waits out its backoff here and the next attempt runs here too. An operator's explicit run
   * is not held back by the parallel-run limit.
   */
  async runToCompletion(sourceIdOrName: string, trigger: string, onClaimed?: (run: RunRecord) => void): Promise<RunRecord> {
    let claim = await this.claim(sourceIdOrName, trigger, false);
    for (;;) {
      if (!('claimed' in claim)) throw new Error('unreachable: a run started without the capacity check is always claimed');
      onClaimed?.(claim.claimed);
      const ended = await this.dispatcher.launch(claim.claimed);
      if (ended.status !== 'queued' || ended.attempt >= ended.maxAttempts) return ended;
      const waitMs = Math.max(0, (ended.notBefore?.getTime() ?? Date.now()) - Date.now());
      this.logger.info({ runId: ended.id, waitMs, nextAttempt: ended.attempt + 1 }, 'waiting to retry the run');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      const again = await this.runs.findById(ended.id);
      if (!again || again.status !== 'queued') return again ?? ended;
      claim = await this.claim(sourceIdOrName, trigger, false);
    }
  }

  private async claim(sourceIdOrName: string, trigger: string, respectCapacity: boolean) {
    const source = await this.sources.get(sourceIdOrName);
    const claim = await this.claims.claimManual({
      sourceId: source.id,
      slot: `${trigger}:${randomUUID()}`,
      trigger,
      maxAttempts: this.engine.maxAttempts,
      respectCapacity,
      owner: this.replica.id,
      leaseMs: this.engine.leaseMs,
      maxParallel: this.engine.maxParallelRuns,
    });
    if ('busy' in claim) {
      throw new ConflictError('RUN_IN_PROGRESS', `source ${source.name} already has run ${claim.busy.id} in progress (on ${claim.busy.leaseOwner ?? 'another replica'}); wait for it or cancel it`, {
        runId: claim.busy.id,
      });
    }
    return claim;
  }
}
