import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AppSettings } from '../apps/apivault/src/config/app-settings.js';
import { createCliContext, createHttpApp } from '../apps/apivault/src/core/bootstrap.js';
import { createLogger } from '../apps/apivault/src/logging/logger.js';
import { SNAPSHOT_JOB, SnapshotScheduler, VERIFY_JOB } from '../apps/apivault/src/snapshots/snapshot-scheduler.js';
import { DEFAULT_SNAPSHOT_SETTINGS, type SnapshotSettings } from '../apps/apivault/src/snapshots/snapshot-settings.js';
import { SnapshotService } from '../apps/apivault/src/snapshots/snapshot.service.js';
import { openDatabase } from '#catalog';
import { postgresTarget } from './support/test-databases.js';

const postgresUrl = process.env.APIVAULT_TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** The snapshot and verification schedules start in the daemon only, and only when configured. */
describe('snapshot and verification schedules', () => {
  let dataDir: string;
  const logger = createLogger({ level: 'silent', destination: { write: () => undefined } });

  function settings(snapshots?: SnapshotSettings): AppSettings {
    return {
      production: false,
      dataDir,
      tmpDir: path.join(dataDir, 'tmp'),
      http: { host: '127.0.0.1', port: 0 },
      database: { type: 'pglite', dataDir: 'memory://' },
      archive: { type: 'filesystem', root: path.join(dataDir, 'archive') },
      logLevel: 'silent',
      guard: { maxRemovedShare: 0.5 },
      snapshots,
    };
  }

  const configured: SnapshotSettings = { ...DEFAULT_SNAPSHOT_SETTINGS, snapshotCron: '0 2 * * *', verifyCron: '30 3 * * *', verifySamplePercent: 50 };
  const jobs = (app: INestApplicationContext) => [...app.get(SchedulerRegistry).getCronJobs().keys()].sort();

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-schedules-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('registers both cron jobs in the daemon when configured, and their ticks snapshot and verify', async () => {
    const app = await createHttpApp({ settings: settings(configured), logger, shutdownHooks: false });
    try {
      await app.init();
      expect(jobs(app)).toEqual([SNAPSHOT_JOB, VERIFY_JOB]);
      const job = app.get(SchedulerRegistry).getCronJob(SNAPSHOT_JOB);
      expect(job.isActive).toBe(true);
      expect(job.cronTime.source).toBe('0 2 * * *');

      await app.get(SnapshotScheduler).snapshotTick();
      const [taken] = (await app.get(SnapshotService).list({ limit: 5 })).items;
      expect(taken).toMatchObject({ trigger: 'schedule', status: 'sealed', scopeId: 'all' });

      await app.get(SnapshotScheduler).verifyTick();
      expect((await app.get(SnapshotService).get(taken!.id)).lastVerification).toMatchObject({ ok: true, trigger: 'schedule', sample: { percent: 50 } });
    } finally {
      await app.close();
    }
    // Closing the app stops and removes the jobs: no timer outlives it.
    expect(app.get(SchedulerRegistry).getCronJobs().size).toBe(0);
  });

  it('starts no timer in the daemon when nothing is configured', async () => {
    const app = await createHttpApp({ settings: settings(), logger, shutdownHooks: false });
    try {
      await app.init();
      expect(jobs(app)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  (postgresUrl ? it : it.skip)('takes one snapshot per slot with two replicas on one PostgreSQL', async () => {
    const database = await postgresTarget.create();
    const everyTwoSeconds: SnapshotSettings = { ...DEFAULT_SNAPSHOT_SETTINGS, snapshotCron: '*/2 * * * * *', timeZone: 'Europe/Berlin' };
    const shared = { ...settings(everyTwoSeconds), database: database.config };
    const replicas = [];
    try {
      for (const name of ['a', 'b']) {
        const app = await createHttpApp({ settings: { ...shared, tmpDir: path.join(dataDir, name) }, logger, shutdownHooks: false });
        await app.init();
        replicas.push(app);
      }
      await new Promise((resolve) => setTimeout(resolve, 7000));
    } finally {
      for (const app of replicas) await app.close();
    }
    const check = await openDatabase(database.config);
    try {
      const slots = await check.prisma.scheduledSlot.findMany({ where: { job: SNAPSHOT_JOB } });
      const snapshots = await check.prisma.snapshot.count({ where: { trigger: 'schedule' } });
      expect(slots.length).toBeGreaterThanOrEqual(3);
      // Each slot was claimed by one replica and made one snapshot, not one per replica (the
      // last slot's snapshot may have been cut off by the shutdown before it wrote its row).
      expect(snapshots).toBeLessThanOrEqual(slots.length);
      expect(snapshots).toBeGreaterThanOrEqual(slots.length - 1);
      expect(slots.every((slot) => slot.slot.getTime() % 2000 === 0)).toBe(true);
    } finally {
      await check.close();
      await database.drop();
    }
  }, 60_000);

  it('starts no timer in a CLI context, even when configured', async () => {
    const ctx = await createCliContext({ settings: settings(configured), logger });
    try {
      await ctx.init();
      expect(jobs(ctx)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
