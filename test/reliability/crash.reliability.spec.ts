import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATAWORKS_PROJECT_IDS, startVendorSim, type VendorSim } from '#vendor-sim';
import { assertBuildIsCurrent, startReplica, type ReplicaProcess } from '../support/replica-process.js';
import { credentialFile } from '../support/replica-cluster.js';
import { runCliWithEnv } from '../support/run-cli.js';
import { requestJson, startTestApp } from '../support/test-app.js';
import { checkArchive } from './support/catalog-invariants.js';
import { reliabilityScale } from './support/reliability-scale.js';
import { ScenarioTally } from './support/scenario-tally.js';

const scale = reliabilityScale();
/** kill -9 points: 20 at RELIABILITY_SCALE=4, 6 in CI's small form. */
const CRASH_POINTS = Math.max(6, Math.round(5 * scale.factor));
const KIND = 'aliyun.dataworks.dataservice';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The daemon on its embedded defaults (PGlite, filesystem archive), killed with SIGKILL at random
 * points of a backup and restarted each time, as a crash-looping container would be. Afterwards:
 * no run stays running or queued, every run ended succeeded, no item has two versions of one
 * content, and every catalog version's archive object is there and re-hashes to its name.
 */
describe('reliability: kill -9 the daemon mid-backup (pglite)', () => {
  const tally = new ScenarioTally('crash/pglite');
  let sim: VendorSim;
  let dataDir: string;
  let env: Record<string, string>;
  let daemon: ReplicaProcess | null = null;
  let token: string;
  let sourceId: string;

  const cli = async (...args: string[]) => {
    // The embedded defaults, as the daemon gets them: not the PostgreSQL that CI names for npm test.
    const result = await runCliWithEnv({ ...env, DATABASE_URL: undefined, APIVAULT_TEST_DATABASE_URL: undefined, LOG_LEVEL: 'warn' }, ...args);
    if (result.exitCode !== 0) throw new Error(`apivault ${args[0]} failed: ${result.stderr}`);
    return result.stdout;
  };
  const api = (method: string, route: string) => requestJson(method, `${daemon!.url}${route}`, undefined, { token });
  const boot = async (name: string) => (daemon = await startReplica(name, env));

  async function waitForIdle(timeoutMs: number): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const page = await api('GET', `/api/v1/runs?source=${sourceId}&limit=100`);
      const active = (page.body.items as any[]).filter((r) => r.status === 'running' || r.status === 'queued');
      if (active.length === 0) return page.body.items;
      if (Date.now() > deadline) throw new Error(`runs still active after ${timeoutMs} ms: ${JSON.stringify(active.map((r) => [r.id, r.status]))}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    assertBuildIsCurrent();
    sim = await startVendorSim({ port: 0, seed: 202, scale: 2 * scale.factor });
    // Slowed down, so a backup lasts long enough to be killed in the middle of it.
    sim.faults.addRule({ fault: 'latency', route: 'dataworks.*', latencyMs: [40, 90] });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-crash-'));
    // Crashes count as attempts: allow more than this scenario can cause.
    env = { APIVAULT_DATA_DIR: dataDir, APIVAULT_RUN_MAX_ATTEMPTS: String(CRASH_POINTS + 5) };
    await cli('credentials', 'set', 'aliyun', '--from-file', credentialFile(dataDir, { type: 'aliyun-ak', ...sim.aliyunCredentials }));
    const added = await cli('sources', 'add', '--name', 'dataworks', '--kind', KIND, '--credential', 'aliyun', '--config', JSON.stringify({ endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], pageSize: 10 }));
    sourceId = (JSON.parse(added) as { id: string }).id;
    token = (JSON.parse(await cli('token', 'create', '--role', 'admin', '--name', 'crash-test')) as { token: string }).token;
  }, 120_000);

  afterAll(async () => {
    tally.print();
    daemon?.signal('SIGKILL');
    await daemon?.exited;
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`survives ${CRASH_POINTS} kills at random points: nothing left running, nothing duplicated, nothing lost`, async () => {
    await boot('daemon-0');
    const started = Date.now();
    const first = await api('POST', `/api/v1/sources/${sourceId}/runs`);
    expect(first.status).toBe(202);
    await waitForIdle(120_000);
    const cleanRunMs = Date.now() - started;

    const kills: { point: number; at: number; runningRuns: number }[] = [];
    for (let point = 1; point <= CRASH_POINTS; point++) {
      // A new run when the last one ended; when the restart resumed an interrupted one, that one.
      const start = await api('POST', `/api/v1/sources/${sourceId}/runs`);
      expect([202, 409]).toContain(start.status);
      const at = randomInt(0, Math.round(0.9 * cleanRunMs));
      await sleep(at);
      const page = await api('GET', `/api/v1/runs?source=${sourceId}&status=running&limit=10`);
      daemon!.signal('SIGKILL');
      await daemon!.exited;
      kills.push({ point, at, runningRuns: page.body.items.length });
      await boot(`daemon-${point}`);
    }
    const runs = await waitForIdle(120_000 + CRASH_POINTS * cleanRunMs);
    await daemon!.stop();
    daemon = null;
    process.stdout.write(`crash points (ms into a ${cleanRunMs} ms run): ${kills.map((k) => `${k.at}${k.runningRuns ? '*' : ''}`).join(' ')} (* = a run was executing)\n`);
    // Most kills must have hit a run in progress, or the scenario proved little.
    expect(kills.filter((k) => k.runningRuns > 0).length).toBeGreaterThanOrEqual(Math.ceil(CRASH_POINTS / 2));

    // The checks run in-process on the same data directory, after the last daemon stopped.
    const t = await startTestApp({ database: { type: 'pglite', dataDir: path.join(dataDir, 'db') }, archive: { type: 'filesystem', root: path.join(dataDir, 'archive') }, settings: { dataDir } });
    try {
      for (const run of runs) {
        const problems: string[] = [];
        if (run.status !== 'succeeded') problems.push(`run ${run.id} ended ${run.status}: ${JSON.stringify(run.error)}`);
        tally.attempt(`run ${run.id} (attempt ${run.attempt})`, problems);
      }
      const duplicates = await t.db.prisma.$queryRaw<unknown[]>`SELECT item_id, content_hash FROM catalog_versions GROUP BY item_id, content_hash HAVING count(*) > 1`;
      const [counts] = await t.db.prisma.$queryRaw<{ items: number; versions: number }[]>`SELECT (SELECT count(*)::int FROM catalog_items) AS items, (SELECT count(*)::int FROM catalog_versions) AS versions`;
      const vendorApis = sim.estate().vendors.dataworks?.apis;
      tally.attempt('catalog', [
        ...(duplicates.length > 0 ? [`${duplicates.length} item(s) have two versions of the same content`] : []),
        ...(counts!.versions !== counts!.items ? [`${counts!.versions} versions for ${counts!.items} items of an unchanged estate`] : []),
      ]);
      const { lost } = await checkArchive(t);
      tally.losses('archive', lost);
      expect(tally.problems).toEqual([]);
      expect(tally.lost).toBe(0);
      expect(counts!.items).toBe(vendorApis);
    } finally {
      await t.close();
    }
  });
});
