import { DATASERVICE_RATE_LIMIT } from '#connectors';
import { DATAWORKS_PROJECT_IDS, DEFAULT_DLF_WORKSPACE, startVendorSim, type LoggedRequest, type SimVendor, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { pgliteTarget } from './support/test-databases.js';
import { backupViaApi, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Arrival at the vendor = start at the client + loopback latency, and that latency differs by a
 * few ms from call to call (the first call also opens the connection). Windows this much shorter
 * than a second absorb it; a client sending one call a second too many still fails, unless that
 * call happens to land in the last 50 ms of every window.
 */
const LATENCY_SPREAD_MS = 50;
const SECOND = 1000;

/** The DataWorks source's own limit (`rateLimit.perSecond`), the one under test. */
const DATAWORKS_LIMIT = 4;
/** The gateway admits one call a second fewer per AccessKey at first, so the run meets a 429 in its first second. */
const GATEWAY_LIMIT = DATAWORKS_LIMIT - 1;
/** Four APIs a page: 7 pages per workspace, 14 calls in all, a few seconds at the limit. */
const PAGE_SIZE = 4;
/** The console's "one export per minute per workspace", shortened so the suite takes seconds. */
const EXPORT_WINDOW_MS = 1500;

/** The most calls that arrived within any window of `windowMs` (times in arrival order). */
function mostCallsWithin(times: number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * Each throttled call, with the call the client made next. The runs here make one call at a time
 * (a workspace is paged in order; the DataService sources share one slot), so the next call in
 * the log is the client coming back.
 */
function throttledAndNext(calls: LoggedRequest[]): Array<{ throttled: LoggedRequest; next: LoggedRequest | undefined }> {
  return calls.flatMap((call, index) => (call.status === 429 ? [{ throttled: call, next: calls[index + 1] }] : []));
}

/**
 * Politeness measured where the vendor sees it: the calls vendor-sim received, over real HTTP
 * with real signatures, read back through its admin-gated control API. PGlite alone: what is
 * measured is the traffic between the connectors and the vendor; the database only records the
 * run, and every backup suite already covers both databases.
 */
describe('a run is polite to the vendor: rate limit kept, throttling waited out', () => {
  let sim: VendorSim;
  let t: TestApp;

  const receivedBy = async (vendor: SimVendor, since: number): Promise<LoggedRequest[]> => {
    const answer = await fetch(`${sim.baseUrl}/_sim/requests?vendor=${vendor}&since=${since}`);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { requests: LoggedRequest[] }).requests;
  };

  const retryLogs = () =>
    t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'vendor call failed; retrying');

  /**
   * The gateway's quota is busy only at the start of the run: once it has refused a call, the
   * throttling is lifted (through the control API, as any black-box test would), so for the rest
   * of the run the source's own limit is all that holds the client back, and is what is measured.
   */
  async function liftThrottlingOnFirstRefusal(since: number, runEnded: () => boolean): Promise<void> {
    while (!runEnded()) {
      if ((await receivedBy('dataworks', since)).some((call) => call.status === 429)) {
        const lifted = await fetch(`${sim.baseUrl}/_sim/dataworks/options`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ throttling: { userPerSecond: null, retryAfter: null } }),
        });
        expect(lifted.status).toBe(200);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 31, admin: true, dataService: { exportWindowMs: EXPORT_WINDOW_MS } });
    t = await startTestApp({ database: (await pgliteTarget.create()).config });
    await t.app.get(CredentialsService).upsert('aliyun', { type: 'aliyun-ak', ...sim.aliyunCredentials });
    await t.app.get(CredentialsService).upsert('huawei', { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey });
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it(`DataWorks: never more than ${DATAWORKS_LIMIT} calls in a second at the vendor, and each Retry-After waited before calling again`, async () => {
    const source = await t.app.get(SourcesService).upsert({
      name: 'dataworks-polite',
      kind: 'aliyun.dataworks.dataservice',
      config: { endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], pageSize: PAGE_SIZE, format: 'xml', rateLimit: { perSecond: DATAWORKS_LIMIT } },
      credentialName: 'aliyun',
    });
    const retriesBefore = retryLogs().length;
    sim.dataworks.options.throttling = { userPerSecond: GATEWAY_LIMIT, retryAfter: true };
    const since = Date.now();
    let ended = false;
    const [run] = await Promise.all([backupViaApi(t, source.id).finally(() => (ended = true)), liftThrottlingOnFirstRefusal(since, () => ended)]);

    expect(run.status).toBe('succeeded');
    expect(run.stats).toMatchObject({ added: sim.dataworks.count() });
    const calls = await receivedBy('dataworks', since);
    const answered = calls.filter((call) => call.status === 200);
    expect(run.stats.callsDone).toBe(answered.length);
    expect(calls.every((call) => call.status === 200 || call.status === 429)).toBe(true);

    // The gateway throttled the run in its first second, saying when to come back ...
    const throttled = throttledAndNext(calls);
    expect(throttled).toHaveLength(1);
    const [{ throttled: refused, next }] = throttled as [(typeof throttled)[number]];
    expect(refused.receivedAt - calls[0]!.receivedAt).toBeLessThan(SECOND);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    // ... and the client came back no sooner than that.
    expect(next!.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(Number(refused.retryAfter) * SECOND);
    // The refusal came as an XML <Error>; its code still reaches the log of the retry.
    expect(retryLogs().slice(retriesBefore)).toEqual([
      expect.objectContaining({ status: 429, vendorCode: 'Throttling.User', basis: 'retry-after', waitMs: Number(refused.retryAfter) * SECOND }),
    ]);

    // Every call counts, the refused one too: no second at the vendor held more than the source's
    // limit, and the client did use its whole allowance (the limit, not the vendor or slowness, is
    // what held it back).
    const times = calls.map((call) => call.receivedAt);
    expect(mostCallsWithin(times, SECOND - LATENCY_SPREAD_MS)).toBe(DATAWORKS_LIMIT);
  });

  it('DataService: one export per window per workspace, the second export waiting out the Retry-After of the first refusal', async () => {
    const sources = t.app.get(SourcesService);
    const [exclusive, shared] = await Promise.all(
      (['EXCLUSIVE', 'SHARED'] as const).map((dlmType) =>
        sources.upsert({
          name: `dataservice-${dlmType.toLowerCase()}`,
          kind: 'huawei.dataarts.dataservice',
          // Two editions of one workspace: the vendor's limit is per workspace, so they meet it.
          config: { endpoint: sim.baseUrl, projectId: sim.projectId, workspace: DEFAULT_DLF_WORKSPACE, dlmType },
          credentialName: 'huawei',
        }),
      ),
    );
    sim.dataService.exportLimiter.reset();
    const since = Date.now();
    const runs = await Promise.all([backupViaApi(t, exclusive!.id), backupViaApi(t, shared!.id)]);

    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    const exports = (await receivedBy('dataservice', since)).filter((call) => call.path.endsWith('/service/export/zip'));
    const admitted = exports.filter((call) => call.status === 200);
    expect(admitted).toHaveLength(2);
    expect(admitted[1]!.receivedAt - admitted[0]!.receivedAt).toBeGreaterThanOrEqual(EXPORT_WINDOW_MS - LATENCY_SPREAD_MS);

    const throttled = throttledAndNext(exports);
    expect(throttled.length).toBeGreaterThan(0);
    for (const { throttled: refused, next } of throttled) {
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(next!.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(Number(refused.retryAfter) * SECOND);
    }
    // The kind's own limit (one call a second, one at a time) held as well, across both runs.
    expect(mostCallsWithin(exports.map((call) => call.receivedAt), SECOND - LATENCY_SPREAD_MS)).toBeLessThanOrEqual(DATASERVICE_RATE_LIMIT.perSecond);
  });
});
