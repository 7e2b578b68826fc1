import { signHuaweiRequest } from '#cloud-auth';
import { DLF_EXPORT_ROUTE, startVendorSim, type SimFault, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { DEFAULT_RUN_ENGINE_SETTINGS } from '../apps/apivault/src/runs/run-engine-settings.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { backupViaApi, catalogRowCounts, postJson, startTestApp, type TestApp } from './support/test-app.js';
import { getRun, sleep, waitForRunEnd, waitUntil } from './support/run-waits.js';

const DLF = 'huawei.dataarts.dlf.connections';
const EXPORT_CALL = 'POST /v1/{project_id}/connections/export';
/** The HTTP client's own tries of one call (DEFAULT_RETRY_POLICY): a run attempt fails after these. */
const CALL_TRIES = 4;
const MAX_ATTEMPTS = 3;

/** What the vendor answers to the export when `fault` is injected: the run must report this. */
async function vendorAnswerTo(sim: VendorSim, fault: SimFault): Promise<{ status: number; vendorCode: string }> {
  sim.faults.inject(fault, { route: DLF_EXPORT_ROUTE });
  const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/export`;
  const response = await fetch(url, { method: 'POST', headers: signHuaweiRequest({ method: 'POST', url, headers: {}, body: '' }, sim.credentials) });
  const body = (await response.json()) as { error_code: string };
  return { status: response.status, vendorCode: body.error_code };
}

describe.each(testDatabaseTargets)('run retries, limits, cancellation and progress ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  const sources: Record<'a' | 'b' | 'apig', string> = { a: '', b: '', apig: '' };

  const start = (sourceId: string) => postJson(`${t.url}/api/v1/sources/${sourceId}/runs`);
  const cancel = (runId: string) => postJson(`${t.url}/api/v1/runs/${runId}/cancel`);
  /** The next export of the source answers only after `ms`: a run that stays running that long. */
  const slowNextExport = (ms: number) => sim.faults.inject('latency', { route: DLF_EXPORT_ROUTE, latencyMs: ms });

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 9 });
    const database = await target.create();
    dropDb = database.drop;
    // One run at a time in the whole installation, quick retries and polls.
    t = await startTestApp({
      database: database.config,
      settings: { runs: { ...DEFAULT_RUN_ENGINE_SETTINGS, maxAttempts: MAX_ATTEMPTS, retryBaseMs: 200, pollMs: 100, maxParallelRuns: 1 } },
    });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', ...sim.credentials, token: undefined });
    const service = t.app.get(SourcesService);
    // DLF's default of 2 calls a second would make the 12 tries of a failing run last 6 s.
    const dlfConfig = { endpoint: sim.baseUrl, projectId: sim.projectId, rateLimit: { perSecond: 100 } };
    sources.a = (await service.upsert({ name: 'dlf-a', kind: DLF, config: dlfConfig, credentialName: 'sim' })).id;
    sources.b = (await service.upsert({ name: 'dlf-b', kind: DLF, config: dlfConfig, credentialName: 'sim' })).id;
    sources.apig = (
      await service.upsert({ name: 'apig', kind: 'huawei.apig', config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.apig.instanceId }, credentialName: 'sim' })
    ).id;
  });

  afterEach(() => {
    sim.faults.clear();
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  describe('retries', () => {
    let unavailable: { status: number; vendorCode: string };

    beforeAll(async () => {
      unavailable = await vendorAnswerTo(sim, 'http-503');
      expect(unavailable.status).toBe(503);
    });

    it.each([2, 3])('gets over a 503 that outlasts the call retries: succeeds on attempt %i, the failed ones listed', async (succeedsOn) => {
      sim.faults.inject('http-503', { route: DLF_EXPORT_ROUTE, times: CALL_TRIES * (succeedsOn - 1), retryAfterSeconds: 0 });
      const run = await backupViaApi(t, sources.a);
      // notBefore: when the last retry was due, kept on the run.
      expect(run).toMatchObject({ status: 'succeeded', attempt: succeedsOn, maxAttempts: MAX_ATTEMPTS, replica: null, notBefore: expect.any(String) });
      expect(run.attempts.map((a: any) => [a.attempt, a.outcome])).toEqual([...Array.from({ length: succeedsOn - 1 }, (_, i) => [i + 1, 'retrying']), [succeedsOn, 'succeeded']]);
      for (const failed of run.attempts.slice(0, -1)) {
        expect(failed.owner).toEqual(expect.any(String));
        expect(failed.error).toMatchObject({ stage: 'fetch', call: EXPORT_CALL, status: 503, vendorCode: unavailable.vendorCode, attempts: CALL_TRIES });
        expect(failed.error.message).toContain('503');
      }
      // A run that succeeded carries no error, whatever its earlier attempts met.
      expect(run.error).toBeNull();
      expect(sim.faults.list()).toEqual([]);
    });

    it('fails after the last attempt when the 503 does not pass, naming the call, status and vendor code', async () => {
      const before = await catalogRowCounts(t.db);
      const victim = sim.dlf.list()[0]!;
      sim.dlf.remove(victim.name);
      sim.faults.addRule({ fault: 'http-503', route: DLF_EXPORT_ROUTE, retryAfterSeconds: 0 });
      try {
        const run = await backupViaApi(t, sources.a);
        expect(run).toMatchObject({ status: 'failed', attempt: MAX_ATTEMPTS, changes: [] });
        expect(run.error).toMatchObject({ stage: 'fetch', call: EXPORT_CALL, status: 503, vendorCode: unavailable.vendorCode, attempt: MAX_ATTEMPTS });
        expect(run.attempts.map((a: any) => a.outcome)).toEqual([...Array.from({ length: MAX_ATTEMPTS - 1 }, () => 'retrying'), 'failed']);
        expect(sim.faults.rules()[0]!.fired).toBe(CALL_TRIES * MAX_ATTEMPTS);
        expect(await catalogRowCounts(t.db)).toEqual(before);
      } finally {
        sim.dlf.upsert(victim);
      }
    });

    it('fails at once on a 403: a refusal is not worth another attempt', async () => {
      const forbidden = await vendorAnswerTo(sim, 'http-403');
      sim.faults.inject('http-403', { route: DLF_EXPORT_ROUTE });
      const run = await backupViaApi(t, sources.a);
      expect(run).toMatchObject({ status: 'failed', attempt: 1 });
      expect(run.error).toMatchObject({ stage: 'fetch', call: EXPORT_CALL, status: forbidden.status, vendorCode: forbidden.vendorCode });
      expect(run.attempts.map((a: any) => [a.attempt, a.outcome])).toEqual([[1, 'failed']]);
    });
  });

  describe('one run per source, and the global limit', () => {
    it('refuses a second manual run of a source while one is running, naming it', async () => {
      slowNextExport(1000);
      const first = await start(sources.a);
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ status: 'running', attempt: 1, replica: expect.any(String) });
      const second = await start(sources.a);
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { runId: first.body.id } });
      expect(second.body.error.message).toContain(first.body.id);
      expect((await waitForRunEnd(t, first.body.id)).status).toBe('succeeded');
    });

    it('queues a run beyond maxParallelRuns and starts it when the running one ends', async () => {
      slowNextExport(1000);
      const first = await start(sources.a);
      const second = await start(sources.b);
      expect(second.status).toBe(202);
      expect(second.body).toMatchObject({ status: 'queued', attempt: 0, replica: null, startedAt: null });
      await sleep(500);
      expect((await getRun(t, second.body.id)).status).toBe('queued');

      const firstEnded = await waitForRunEnd(t, first.body.id);
      const secondEnded = await waitForRunEnd(t, second.body.id);
      expect([firstEnded.status, secondEnded.status]).toEqual(['succeeded', 'succeeded']);
      expect(new Date(secondEnded.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(firstEnded.finishedAt).getTime());
    });
  });

  describe('cancellation', () => {
    it('cancels a queued run at once', async () => {
      slowNextExport(1000);
      const running = await start(sources.a);
      const queued = await start(sources.b);
      expect(queued.body.status).toBe('queued');
      const cancelled = await cancel(queued.body.id);
      expect(cancelled.status).toBe(202);
      expect(cancelled.body).toMatchObject({ id: queued.body.id, status: 'cancelled', startedAt: null, error: { code: 'CANCELLED' } });
      expect(cancelled.body.error.message).toContain('test-admin');
      expect((await waitForRunEnd(t, running.body.id)).status).toBe('succeeded');
      expect((await getRun(t, queued.body.id)).status).toBe('cancelled');
    });

    it('cancels a running run: it ends cancelled and the catalog stays as it was', async () => {
      // A run left to finish would record this removal.
      const victim = sim.dlf.list()[0]!;
      sim.dlf.remove(victim.name);
      try {
        const before = await catalogRowCounts(t.db);
        slowNextExport(5000);
        const run = await start(sources.a);
        await sleep(200);
        const asked = await cancel(run.body.id);
        expect(asked.status).toBe(202);
        expect(asked.body).toMatchObject({ id: run.body.id, cancelRequestedBy: 'test-admin' });
        const ended = await waitForRunEnd(t, run.body.id, 4000);
        expect(ended).toMatchObject({ status: 'cancelled', error: { stage: 'engine', code: 'CANCELLED' }, changes: [] });
        expect(ended.error.message).toContain('test-admin');
        expect(ended.attempts.map((a: any) => a.outcome)).toEqual(['cancelled']);
        expect(await catalogRowCounts(t.db)).toEqual(before);
        expect((await cancel(run.body.id)).body.error.code).toBe('RUN_NOT_ACTIVE');
      } finally {
        sim.dlf.upsert(victim);
      }
    });
  });

  it('shows the progress of a running run: calls, artifacts and bytes growing', async () => {
    // Each export answers late: the run lasts seconds and writes its progress every second.
    sim.faults.addRule({ fault: 'latency', route: 'apig.export', latencyMs: 250 });
    const started = await start(sources.apig);
    expect(started.status).toBe(202);
    const seen: any[] = [];
    let run = started.body;
    while (run.status === 'running') {
      if (JSON.stringify(run.stats) !== JSON.stringify(seen.at(-1))) seen.push(run.stats);
      await sleep(100);
      run = await getRun(t, started.body.id);
    }
    expect(run.status).toBe('succeeded');
    const progress = seen.filter((stats) => stats.callsPlanned !== undefined);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    for (const [i, stats] of progress.slice(1).entries()) {
      const previous = progress[i]!;
      expect(stats.callsDone).toBeGreaterThan(previous.callsDone);
      expect(stats.artifacts).toBeGreaterThanOrEqual(previous.artifacts);
      expect(stats.bytes).toBeGreaterThanOrEqual(previous.bytes);
    }
    expect(progress.at(-1).artifacts).toBeGreaterThan(progress[0].artifacts);
    expect(progress.at(-1).bytes).toBeGreaterThan(progress[0].bytes);
    // The final stats take over from the progress: never behind it.
    expect(run.stats.callsDone).toBeGreaterThanOrEqual(progress.at(-1).callsDone);
    expect(run.stats.callsDone).toBe(run.stats.callsPlanned);
    expect(run.stats.artifacts).toBe(run.artifacts.length);
  });
});
