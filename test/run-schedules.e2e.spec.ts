import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import type { DatabaseConfig } from '#catalog';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { DEFAULT_RUN_ENGINE_SETTINGS, type RunEngineSettings } from '../apps/apivault/src/runs/run-engine-settings.js';
import { testDatabaseTargets, type TestDatabaseTarget } from './support/test-databases.js';
import { backupViaApi, getJson, postJson, requestJson, startTestApp, type TestApp } from './support/test-app.js';
import { runsOfSource, sleep, waitForRunEnd, waitUntil } from './support/run-waits.js';

const KIND = 'huawei.dataarts.dlf.connections';
const EVERY_SECOND = '* * * * * *';
/** Zones whose offset is not a whole hour away from UTC (or from the machine's zone, usually UTC). */
const FAR_ZONE = 'Asia/Kathmandu';

/** The instant a schedule run's slot key names; fails unless the key is `schedule:<ISO instant>`. */
function slotInstant(run: { slot: string }): Date {
  const match = /^schedule:(.+)$/.exec(run.slot);
  expect(match).not.toBeNull();
  const instant = new Date(match![1]!);
  expect(instant.toISOString()).toBe(match![1]);
  return instant;
}

const scheduled = (runs: any[]) => runs.filter((run) => run.trigger === 'schedule');

/** The hour of the day in `timeZone`, as cron counts it there. */
function hourIn(timeZone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));
}

async function createSource(t: TestApp, sim: VendorSim, name: string, fields: Record<string, unknown>): Promise<any> {
  const created = await postJson(`${t.url}/api/v1/sources`, {
    name,
    kind: KIND,
    config: { endpoint: sim.baseUrl, projectId: sim.projectId },
    credential: 'sim',
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body;
}

const patchSource = (t: TestApp, id: string, body: unknown) => requestJson('PATCH', `${t.url}/api/v1/sources/${id}`, body);

describe.each(testDatabaseTargets)('per-source schedules ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 3 });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', ...sim.credentials, token: undefined });
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  describe('a source scheduled every second', () => {
    let source: any;

    afterAll(async () => {
      if (source) await patchSource(t, source.id, { schedule: null });
    });

    it('gets one run per slot, keyed by the slot instant on the cron grid', async () => {
      const createdAt = Date.now();
      source = await createSource(t, sim, 'every-second', { schedule: EVERY_SECOND });
      expect(source).toMatchObject({ schedule: EVERY_SECOND, scheduleTimezone: 'UTC', scheduleJitterSeconds: 0, schedulePaused: false });
      const succeeded = await waitUntil('two scheduled runs', async () => {
        const ended = scheduled(await runsOfSource(t, source.id)).filter((run) => run.status === 'succeeded');
        return ended.length >= 2 && ended;
      });
      // Every slot up to the second success has its run (one a slower run made wait would be
      // cancelled as superseded, but it would still be there).
      const lastSlot = slotInstant(succeeded[1]).getTime();
      const runs = scheduled(await runsOfSource(t, source.id)).filter((run) => slotInstant(run).getTime() <= lastSlot);
      const slots = runs.map(slotInstant);
      expect(new Set(runs.map((run) => run.slot)).size).toBe(runs.length);
      for (const [index, slot] of slots.entries()) {
        expect(slot.getUTCMilliseconds()).toBe(0);
        expect(slot.getTime()).toBeGreaterThan(createdAt - 1000);
        // Queued at the tick: the run of a slot exists from the slot on, not earlier, not much later.
        expect(new Date(runs[index].createdAt).getTime() - slot.getTime()).toBeGreaterThanOrEqual(-50);
        expect(new Date(runs[index].createdAt).getTime() - slot.getTime()).toBeLessThan(1500);
      }
      // Consecutive slots, none missed between the first and the last.
      const gaps = slots.slice(1).map((slot, i) => slot.getTime() - slots[i]!.getTime());
      expect(gaps.every((gap) => gap === 1000)).toBe(true);
      expect(succeeded.every((run) => run.attempt === 1 && run.maxAttempts === 1 && run.replica === null && run.leaseExpiresAt === null)).toBe(true);
    });

    it('stops creating runs while paused; a manual run still works; resumes from the next slot', async () => {
      const paused = await postJson(`${t.url}/api/v1/sources/${source.id}/schedule/pause`);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ id: source.id, schedule: EVERY_SECOND, schedulePaused: true });
      const pausedAt = Date.now();
      expect((await getJson(`${t.url}/api/v1/sources/${source.id}`)).body.schedulePaused).toBe(true);

      // The slot run still going at the pause ends first (a manual run would be refused, 409).
      await waitUntil('the last scheduled run to end', async () => (await runsOfSource(t, source.id)).every((run) => run.status !== 'running' && run.status !== 'queued'));
      const manual = await backupViaApi(t, source.id);
      expect(manual).toMatchObject({ trigger: 'api', status: 'succeeded' });
      await sleep(Math.max(0, pausedAt + 2600 - Date.now()));
      // More than two periods without a slot. The schedule is replaced right after the answer: a
      // tick in flight at the pause may still land.
      const slotsWhilePaused = scheduled(await runsOfSource(t, source.id)).filter((run) => slotInstant(run).getTime() > pausedAt + 300);
      expect(slotsWhilePaused).toEqual([]);

      const resumed = await postJson(`${t.url}/api/v1/sources/${source.id}/schedule/resume`);
      expect(resumed.status).toBe(200);
      expect(resumed.body.schedulePaused).toBe(false);
      const resumedAt = Date.now();
      const next = await waitUntil('a scheduled run after the resume', async () => scheduled(await runsOfSource(t, source.id)).find((run) => slotInstant(run).getTime() > resumedAt), 5000);
      // Slots missed while paused are not made up.
      expect(slotInstant(next).getTime() - resumedAt).toBeLessThan(2000);
      expect((await waitForRunEnd(t, next.id)).status).toBe('succeeded');
    });

    it('takes a new schedule at once, without a restart', async () => {
      const oddSeconds = '1-59/2 * * * * *';
      const patched = await patchSource(t, source.id, { schedule: oddSeconds });
      expect(patched.status).toBe(200);
      expect(patched.body.schedule).toBe(oddSeconds);
      const patchedAt = Date.now();
      const after = await waitUntil('two slots of the new schedule', async () => {
        const runs = scheduled(await runsOfSource(t, source.id)).filter((run) => slotInstant(run).getTime() > patchedAt + 500);
        return runs.length >= 2 && runs;
      });
      expect(after.map((run) => slotInstant(run).getUTCSeconds() % 2)).toEqual(after.map(() => 1));
    });
  });

  it('refuses a schedule without one to pause', async () => {
    const unscheduled = await createSource(t, sim, 'unscheduled', {});
    const answer = await postJson(`${t.url}/api/v1/sources/${unscheduled.id}/schedule/pause`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('NO_SCHEDULE');
  });

  it('validates the time zone, names the field, and fires in the zone given', async () => {
    const bad = await postJson(`${t.url}/api/v1/sources`, {
      name: 'on-mars',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId },
      schedule: EVERY_SECOND,
      scheduleTimezone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'scheduleTimezone' } });
    expect(bad.body.error.message).toContain('scheduleTimezone');
    expect(bad.body.error.message).toContain('Mars/Olympus');

    // Only in the current hour of the zone, a different hour from UTC's: the runs come only if
    // the schedule is read in that zone. Not across the turn of an hour.
    while (hourIn(FAR_ZONE, new Date()) !== hourIn(FAR_ZONE, new Date(Date.now() + 10_000))) await sleep(500);
    const hour = hourIn(FAR_ZONE, new Date());
    expect(hour).not.toBe(new Date().getUTCHours());
    const zoned = await createSource(t, sim, 'zoned', { schedule: `* * ${hour} * * *`, scheduleTimezone: FAR_ZONE });
    expect(zoned.scheduleTimezone).toBe(FAR_ZONE);
    expect((await getJson(`${t.url}/api/v1/sources/${zoned.id}`)).body.scheduleTimezone).toBe(FAR_ZONE);
    const run = await waitUntil('a run of the zoned schedule', async () => scheduled(await runsOfSource(t, zoned.id))[0], 5000);
    expect(slotInstant(run).getTime()).toBeGreaterThan(Date.now() - 5000);

    const patched = await patchSource(t, zoned.id, { scheduleTimezone: 'Mars/Olympus' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.field).toBe('scheduleTimezone');
    expect((await patchSource(t, zoned.id, { schedule: null })).status).toBe(200);
  });

  it('delays each slot by its jitter: queued with notBefore in [slot, slot + jitter], started no earlier', async () => {
    const jitterMs = 1000;
    // Every 2 s: a run delayed by up to 1 s still ends before the next slot (which would supersede it).
    const source = await createSource(t, sim, 'jittered', { schedule: '*/2 * * * * *', scheduleJitterSeconds: jitterMs / 1000 });
    expect(source.scheduleJitterSeconds).toBe(jitterMs / 1000);
    // notBefore stays on the run once it started: check every slot's run after the fact.
    await sleep(4500);
    expect((await patchSource(t, source.id, { schedule: null })).status).toBe(200);
    const runs = scheduled(await runsOfSource(t, source.id));
    expect(runs.length).toBeGreaterThan(0);
    const seenQueued = new Map<string, any>(runs.map((run) => [run.id, run]));
    for (const queued of seenQueued.values()) {
      const slot = slotInstant(queued).getTime();
      const notBefore = new Date(queued.notBefore).getTime();
      expect(notBefore).toBeGreaterThanOrEqual(slot);
      expect(notBefore).toBeLessThanOrEqual(slot + jitterMs);
      const ended = await waitForRunEnd(t, queued.id);
      expect(ended.status).toBe('succeeded');
      expect(new Date(ended.startedAt).getTime()).toBeGreaterThanOrEqual(notBefore);
    }
    // Delayed for real: not every slot started on the second.
    expect([...seenQueued.values()].some((run) => new Date(run.notBefore).getTime() > slotInstant(run).getTime())).toBe(true);
  });
});

/**
 * Slots that passed while no apivault ran: at the next start the latest one runs once
 * (APIVAULT_MISSED_SLOTS=run-once, the default) or none does (skip). The database must outlive
 * the app: PGlite in a directory, PostgreSQL as it is. The data directory (master key) too.
 */
describe.each(testDatabaseTargets)('slots missed while apivault was down ($name)', (target: TestDatabaseTarget) => {
  const EVERY_2S = '*/2 * * * * *';
  let sim: VendorSim;
  let database: { config: DatabaseConfig; drop(): Promise<void> };
  let dataDir: string;
  let sourceId: string;
  /** When the previous app stopped: the slots after it were missed. */
  let closedAt: number;

  const runs = (missedSlots: RunEngineSettings['missedSlots']) => ({ ...DEFAULT_RUN_ENGINE_SETTINGS, maxAttempts: 1, pollMs: 200, missedSlots });
  // Each app over this database makes its own admin token (token names are unique).
  const start = (missedSlots: RunEngineSettings['missedSlots']) =>
    startTestApp({ database: database.config, settings: { dataDir, tmpDir: path.join(dataDir, 'tmp'), runs: runs(missedSlots) }, adminTokenName: `test-admin-${Date.now()}` });

  /** Closes the app once nothing of it runs, then waits until at least one slot has passed. */
  async function stopAndMissASlot(t: TestApp): Promise<void> {
    await waitUntil('no run in progress', async () => (await runsOfSource(t, sourceId)).every((run) => run.status !== 'running' && run.status !== 'queued'));
    await t.close();
    closedAt = Date.now();
    await sleep(2000 - (closedAt % 2000) + 300);
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 4 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-missed-slots-'));
    database = target.name === 'pglite' ? { config: { type: 'pglite', dataDir: path.join(dataDir, 'pglite') }, drop: async () => undefined } : await target.create();
    const t = await start('run-once');
    try {
      await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', ...sim.credentials, token: undefined });
      sourceId = (await createSource(t, sim, 'every-2s', { schedule: EVERY_2S })).id;
    } finally {
      await stopAndMissASlot(t);
    }
  });

  afterAll(async () => {
    await sim?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the latest missed slot once at start with run-once, as a catch-up', async () => {
    const before = Date.now();
    const t = await start('run-once');
    const startedAt = Date.now();
    try {
      const catchUps = (await runsOfSource(t, sourceId)).filter((run) => run.trigger === 'catch-up');
      expect(catchUps).toHaveLength(1);
      const slot = slotInstant(catchUps[0]).getTime();
      // Missed: after the previous app stopped. The latest: the next one had not come at the start.
      expect(slot).toBeGreaterThan(closedAt);
      expect(slot).toBeLessThanOrEqual(startedAt);
      expect(slot + 2000).toBeGreaterThan(before);
      expect(slot % 2000).toBe(0);
      expect((await waitForRunEnd(t, catchUps[0].id)).status).toBe('succeeded');
    } finally {
      await stopAndMissASlot(t);
    }
  });

  it('runs nothing for missed slots with skip', async () => {
    const before = Date.now();
    const t = await start('skip');
    try {
      // The catch-up would have been queued before the app answered (it is part of the start).
      const all = await runsOfSource(t, sourceId);
      expect(all.filter((run) => run.trigger === 'catch-up')).toHaveLength(1);
      expect(all.filter((run) => run.slot.startsWith('schedule:') && slotInstant(run).getTime() > closedAt && slotInstant(run).getTime() < before)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
