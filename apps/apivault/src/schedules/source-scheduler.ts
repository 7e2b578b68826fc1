import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Logger } from 'pino';
import { RunClaimRepository } from '#catalog';
import { LOGGER, RUN_SCHEDULES, RUN_ENGINE_SETTINGS } from '../core/tokens.js';
import type { RunEngineSettings } from '../runs/run-engine-settings.js';
import { RunDispatcher } from '../runs/run-dispatcher.js';
import { SourceAdminRepository, type ManagedSourceRecord } from '../sources/source-admin.repository.js';
import { SourceChanges } from '../sources/source-changes.js';
import { jitteredStart, latestSlotAtOrBefore, nextSlotAfter, slotKey, slotOfTick, type SourceSchedule } from './schedule-slots.js';

interface Registered {
  signature: string;
  job: CronJob;
}

/**
 * Turns each enabled, unpaused source's schedule into a cron job (@nestjs/schedule's registry).
 * A tick only queues the slot's run, keyed (source, slot): every replica ticks, one run results,
 * and whichever replica's dispatcher claims it runs it. Schedules follow source changes at once
 * in this process and within APIVAULT_SCHEDULE_SYNC_SECONDS in the others.
 */
@Injectable()
export class SourceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly registered = new Map<string, Registered>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;

  constructor(
    private readonly admin: SourceAdminRepository,
    private readonly claims: RunClaimRepository,
    private readonly dispatcher: RunDispatcher,
    private readonly registry: SchedulerRegistry,
    private readonly changes: SourceChanges,
    @Inject(RUN_SCHEDULES) private readonly enabled: boolean,
    @Inject(RUN_ENGINE_SETTINGS) private readonly engine: RunEngineSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const sources = await this.sync();
    if (this.engine.missedSlots === 'run-once') await this.catchUp(sources);
    this.timer = setInterval(() => void this.sync(), this.engine.scheduleSyncMs);
    this.timer.unref();
    this.unsubscribe = this.changes.subscribe(() => this.sync());
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    for (const sourceId of [...this.registered.keys()]) this.unregister(sourceId);
  }

  /** Reloads every source's schedule; registers, replaces and removes cron jobs to match. */
  async sync(): Promise<ManagedSourceRecord[]> {
    if (this.syncing) {
      this.syncAgain = true;
      await this.syncing;
      return [];
    }
    let sources: ManagedSourceRecord[] = [];
    this.syncing = (async () => {
      try {
        sources = await this.admin.listAll();
        const wanted = new Map(sources.flatMap((source) => (scheduleOf(source) ? [[source.id, { source, schedule: scheduleOf(source)! }] as const] : [])));
        for (const sourceId of [...this.registered.keys()]) {
          if (!wanted.has(sourceId)) this.unregister(sourceId);
        }
        for (const [sourceId, { source, schedule }] of wanted) {
          const signature = JSON.stringify(schedule);
          if (this.registered.get(sourceId)?.signature === signature) continue;
          this.unregister(sourceId);
          this.register(source, schedule, signature);
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'could not load the schedules; keeping the current ones');
      }
    })();
    await this.syncing;
    this.syncing = null;
    if (this.syncAgain) {
      this.syncAgain = false;
      await this.sync();
    }
    return sources;
  }

  /** Queues the run of one slot (idempotent across replicas) and wakes this replica's dispatcher. */
  private async enqueue(sourceId: string, slot: Date, schedule: SourceSchedule, trigger: 'schedule' | 'catch-up'): Promise<void> {
    // Jitter is capped at half the period: a slot due after the next one would always be superseded.
    const halfPeriod = Math.floor((nextSlotAfter(schedule, slot).getTime() - slot.getTime()) / 2000);
    const notBefore = jitteredStart(sourceId, slot, Math.min(schedule.jitterSeconds, halfPeriod));
    try {
      const run = await this.claims.enqueueSlot({ sourceId, slot: slotKey(slot), trigger, notBefore, maxAttempts: this.engine.maxAttempts });
      if (run) this.logger.info({ runId: run.id, sourceId, slot: slot.toISOString(), trigger, notBefore: notBefore.toISOString() }, 'slot queued');
      const wait = notBefore.getTime() - Date.now();
      if (wait > 0) setTimeout(() => this.dispatcher.wake(), wait).unref();
      else this.dispatcher.wake();
    } catch (error) {
      // The other replicas tick too: one of them may still queue the slot.
      this.logger.error({ err: error, sourceId, slot: slot.toISOString() }, 'could not queue the slot');
    }
  }

  /** At start: the latest slot of each schedule that has no run was missed while no replica ran. */
  private async catchUp(sources: ManagedSourceRecord[]): Promise<void> {
    const now = new Date();
    for (const source of sources) {
      const schedule = scheduleOf(source);
      if (!schedule) continue;
      const slot = latestSlotAtOrBefore(schedule, now);
      // A slot before the schedule was set (or changed) was never due.
      const since = Math.max(source.createdAt.getTime(), source.settings?.updatedAt.getTime() ?? 0);
      if (!slot || slot.getTime() < since) continue;
      if (await this.claims.slotExists(source.id, slotKey(slot))) continue;
      this.logger.info({ source: source.name, slot: slot.toISOString() }, 'running a slot missed while apivault was down (APIVAULT_MISSED_SLOTS=run-once)');
      await this.enqueue(source.id, slot, schedule, 'catch-up');
    }
  }

  private register(source: ManagedSourceRecord, schedule: SourceSchedule, signature: string): void {
    const name = jobName(source.id);
    const job = CronJob.from({
      cronTime: schedule.cron,
      timeZone: schedule.timeZone,
      start: true,
      name,
      onTick: () => {
        const slot = slotOfTick(schedule, new Date());
        if (slot) void this.enqueue(source.id, slot, schedule, 'schedule');
      },
    });
    this.registry.addCronJob(name, job);
    this.registered.set(source.id, { signature, job });
    this.logger.info({ source: source.name, cron: schedule.cron, timeZone: schedule.timeZone, jitterSeconds: schedule.jitterSeconds, next: job.nextDate().toISO() }, 'schedule registered');
  }

  private unregister(sourceId: string): void {
    const registered = this.registered.get(sourceId);
    if (!registered) return;
    void registered.job.stop();
    this.registry.deleteCronJob(jobName(sourceId));
    this.registered.delete(sourceId);
  }
}

function jobName(sourceId: string): string {
  return `source:${sourceId}`;
}

/** The schedule a source runs on, or null when it has none, is disabled or is paused. */
function scheduleOf(source: ManagedSourceRecord): SourceSchedule | null {
  const settings = source.settings;
  if (!source.enabled || !settings?.schedule || settings.schedulePaused) return null;
  return { cron: settings.schedule, timeZone: settings.scheduleTimezone ?? 'UTC', jitterSeconds: settings.scheduleJitterSeconds };
}
