import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Logger } from 'pino';
import { ScheduledSlotRepository } from '#catalog';
import { LOGGER } from '../core/tokens.js';
import { ReplicaIdentity } from '../runs/replica-identity.js';
import { slotOfTick } from '../schedules/schedule-slots.js';
import { SnapshotRepository } from './snapshot-repository.js';
import type { SnapshotSettings } from './snapshot-settings.js';
import { SnapshotVerifierService } from './snapshot-verifier.service.js';
import { SnapshotService } from './snapshot.service.js';
import { RUN_SCHEDULES, SNAPSHOT_SETTINGS } from './snapshot-tokens.js';

export const SNAPSHOT_JOB = 'apivault-snapshot';
export const VERIFY_JOB = 'apivault-verify';

/**
 * Registers the snapshot and verification cron jobs (APIVAULT_SNAPSHOT_TIMEZONE, default UTC)
 * when the daemon starts, only if APIVAULT_SNAPSHOT_CRON / APIVAULT_VERIFY_CRON are set; the CLI
 * never starts timers. Every replica ticks; the one that claims the slot runs it, so a slot
 * makes one snapshot however many replicas there are. A tick still running when the next one
 * is due is not started twice.
 */
@Injectable()
export class SnapshotScheduler implements OnApplicationBootstrap {
  constructor(
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    @Inject(RUN_SCHEDULES) private readonly runSchedules: boolean,
    private readonly registry: SchedulerRegistry,
    private readonly snapshots: SnapshotService,
    private readonly verifier: SnapshotVerifierService,
    private readonly repository: SnapshotRepository,
    private readonly slots: ScheduledSlotRepository,
    private readonly replica: ReplicaIdentity,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.runSchedules) return;
    if (this.settings.snapshotCron) this.register(SNAPSHOT_JOB, this.settings.snapshotCron, () => this.snapshotTick());
    if (this.settings.verifyCron) this.register(VERIFY_JOB, this.settings.verifyCron, () => this.verifyTick());
  }

  /** Takes a snapshot of the whole catalog; failures are logged (and recorded on the snapshot). */
  async snapshotTick(): Promise<void> {
    try {
      await this.snapshots.create({ trigger: 'schedule' });
    } catch (error) {
      this.logger.error({ err: error }, 'scheduled snapshot failed');
    }
  }

  /** Verifies the newest sealed snapshot of every scope, with the configured sample. */
  async verifyTick(): Promise<void> {
    for (const scope of await this.repository.listScopes()) {
      const [latest] = await this.repository.sealedInScope(scope.id);
      if (!latest) continue;
      try {
        await this.verifier.verify(latest.id, { samplePercent: this.settings.verifySamplePercent, trigger: 'schedule' });
      } catch (error) {
        this.logger.error({ err: error, snapshotId: latest.id }, 'scheduled verification failed to run');
      }
    }
  }

  private register(name: string, cronTime: string, tick: () => Promise<void>): void {
    const timeZone = this.settings.timeZone ?? 'UTC';
    const onTick = async () => {
      const slot = slotOfTick({ cron: cronTime, timeZone }, new Date());
      if (!slot) return;
      try {
        if (!(await this.slots.claim(name, slot, this.replica.id))) {
          this.logger.debug({ job: name, slot: slot.toISOString() }, 'slot taken by another replica');
          return;
        }
      } catch (error) {
        this.logger.error({ err: error, job: name }, 'could not claim the scheduled slot; skipping it');
        return;
      }
      await tick();
    };
    const job = CronJob.from({ cronTime, onTick, start: true, timeZone, waitForCompletion: true, name });
    this.registry.addCronJob(name, job);
    this.logger.info({ job: name, cron: cronTime, timeZone, next: job.nextDate().toISO() }, 'schedule registered');
  }
}
