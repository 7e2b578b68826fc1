import { DATAWORKS_PROJECT_IDS, startVendorSim, type VendorSim } from '#vendor-sim';
import { assertBuildIsCurrent, type ReplicaProcess } from './support/replica-process.js';
import { CLUSTER_LEASE_SECONDS, createReplicaCluster, credentialFile, type ReplicaCluster } from './support/replica-cluster.js';
import { requestJson } from './support/test-app.js';

/**
 * Several `apivault serve` processes on one PostgreSQL database: schedules run every slot exactly
 * once, a replica killed with SIGKILL mid-run is taken over by another, SIGTERM hands running
 * runs back. PostgreSQL only: PGlite is one process's private database by design.
 */
const postgres = process.env.APIVAULT_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const describePg = postgres ? describe : describe.skip;
if (!postgres) console.warn('replicas.e2e: DATABASE_URL is not set, the multi-replica suite cannot run (it needs PostgreSQL).');

/** How long the three replicas run a 3-second schedule (default 2 minutes: 40 slots). */
const SCHEDULE_SECONDS = Number(process.env.APIVAULT_TEST_SCHEDULE_SECONDS ?? 120);
const PERIOD_MS = 3000;

const DATAWORKS = 'aliyun.dataworks.dataservice';
const DLF = 'huawei.dataarts.dlf.connections';

interface RunRow {
  id: string;
  slot: string;
  trigger: string;
  status: string;
  attempt: number;
  attempts: { attempt: number; owner: string | null; outcome: string }[];
  stats: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForRunEnd(cluster: ReplicaCluster, runId: string, timeoutMs = 60_000): Promise<RunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await cluster.sql<RunRow>('SELECT id, slot, trigger, status::text, attempt, attempts, stats FROM runs WHERE id = $1', [runId]);
    if (run && run.status !== 'running' && run.status !== 'queued') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run?.status} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** SIGTERM ran Nest's shutdown to its end (it re-raises the signal to exit, hence no exit code). */
function expectCleanShutdown(replica: ReplicaProcess): void {
  expect(replica.logs.some((line) => line.msg === 'database closed')).toBe(true);
}

function api(replica: ReplicaProcess, cluster: ReplicaCluster, method: string, route: string) {
  return requestJson(method, `${replica.url}${route}`, undefined, { token: cluster.adminToken });
}

describePg('replicas on one PostgreSQL', () => {
  let sim: VendorSim;

  beforeAll(async () => {
    assertBuildIsCurrent();
    sim = await startVendorSim({ port: 0, seed: 11, scale: 3 });
  });

  afterAll(async () => {
    await sim?.close();
  });

  describe('a schedule firing every 3 seconds on three replicas', () => {
    let cluster: ReplicaCluster;

    afterAll(async () => cluster?.close());

    it(`runs every slot exactly once for ${SCHEDULE_SECONDS} s: none twice, none missed`, async () => {
      cluster = await createReplicaCluster();
      expect((await cluster.cli('credentials', 'set', 'sim', '--from-file', credentialFile(cluster.dataDir, { type: 'huawei-aksk', ...sim.credentials, token: undefined }))).exitCode).toBe(0);
      const added = await cluster.cli('sources', 'add', '--name', 'dlf', '--kind', DLF, '--credential', 'sim', '--config', JSON.stringify({ endpoint: sim.baseUrl, projectId: sim.projectId }), '--schedule', '*/3 * * * * *');
      expect(added.exitCode).toBe(0);
      const sourceId = (JSON.parse(added.stdout) as { id: string }).id;
      const exportsBefore = sim.requests.filter((r) => r.path.endsWith('/connections/export')).length;

      const replicas = await Promise.all(['a', 'b', 'c'].map((name) => cluster.start(name)));
      const from = Date.now();
      await sleep(SCHEDULE_SECONDS * 1000);
      const until = Date.now();
      await Promise.all(replicas.map((r) => r.stop()));
      for (const replica of replicas) expectCleanShutdown(replica);

      const runs = await cluster.sql<RunRow>('SELECT id, slot, trigger, status::text, attempt, attempts, stats FROM runs WHERE source_id = $1 ORDER BY slot', [sourceId]);
      const bySlot = new Map<string, RunRow[]>();
      for (const run of runs) bySlot.set(run.slot, [...(bySlot.get(run.slot) ?? []), run]);
      // Every slot on the grid from the first whole period after all replicas listened to the
      // last whole period before they were stopped.
      const expected: string[] = [];
      for (let t = Math.ceil(from / PERIOD_MS) * PERIOD_MS + PERIOD_MS; t <= until - PERIOD_MS; t += PERIOD_MS) expected.push(`schedule:${new Date(t).toISOString()}`);
      expect(expected.length).toBeGreaterThanOrEqual(Math.floor(SCHEDULE_SECONDS / 3) - 3);
      const missed = expected.filter((slot) => !bySlot.has(slot));
      expect(missed).toEqual([]);
      expect([...bySlot.values()].filter((rows) => rows.length > 1)).toEqual([]);
      // Slots off the grid would be a second run of some tick under another name.
      expect(runs.filter((r) => !r.slot.startsWith('schedule:') || Date.parse(r.slot.slice('schedule:'.length)) % PERIOD_MS !== 0)).toEqual([]);
      for (const run of runs.filter((r) => expected.includes(r.slot))) {
        expect({ slot: run.slot, status: run.status, attempt: run.attempt }).toEqual({ slot: run.slot, status: 'succeeded', attempt: 1 });
      }
      // Executed once, too: the vendor saw one export per run that started, not one per replica.
      const exportsSeen = sim.requests.filter((r) => r.path.endsWith('/connections/export')).length - exportsBefore;
      expect(exportsSeen).toBe(runs.filter((r) => r.attempt > 0).length);
      const owners = new Map<string, number>();
      for (const run of runs) for (const a of run.attempts) owners.set(a.owner ?? '?', (owners.get(a.owner ?? '?') ?? 0) + 1);
      console.log(`replicas: ${runs.length} runs over ${expected.length} expected slots; runs per replica: ${JSON.stringify(Object.fromEntries(owners))}`);
      const [{ running }] = await cluster.sql<{ running: number }>("SELECT count(*)::int AS running FROM runs WHERE status = 'running'");
      expect(running).toBe(0);
    }, SCHEDULE_SECONDS * 1000 + 120_000);
  });

  describe('a replica killed, stopped or asked to cancel mid-run', () => {
    let cluster: ReplicaCluster;
    let survivor: ReplicaProcess;
    let sourceId: string;
    let probeId: string;
    let cleanRunMs: number;

    beforeAll(async () => {
      // Every DataWorks call is slowed down, so a run lasts seconds and has a middle to kill it in.
      sim.faults.addRule({ fault: 'latency', route: 'dataworks.*', latencyMs: [60, 120] });
      cluster = await createReplicaCluster();
      expect((await cluster.cli('credentials', 'set', 'aliyun', '--from-file', credentialFile(cluster.dataDir, { type: 'aliyun-ak', ...sim.aliyunCredentials }))).exitCode).toBe(0);
      const config = JSON.stringify({ endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], pageSize: 10 });
      sourceId = (JSON.parse((await cluster.cli('sources', 'add', '--name', 'dataworks', '--kind', DATAWORKS, '--credential', 'aliyun', '--config', config)).stdout) as { id: string }).id;
      probeId = (JSON.parse((await cluster.cli('sources', 'add', '--name', 'probe', '--kind', DATAWORKS, '--credential', 'aliyun', '--config', config)).stdout) as { id: string }).id;
      survivor = await cluster.start('survivor');
      // The same work as the first run of `dataworks`: how long a clean first run takes here.
      const started = Date.now();
      const probe = await api(survivor, cluster, 'POST', `/api/v1/sources/${probeId}/runs`);
      expect(probe.status).toBe(202);
      expect((await waitForRunEnd(cluster, probe.body.id)).status).toBe('succeeded');
      cleanRunMs = Date.now() - started;
    }, 120_000);

    afterAll(async () => {
      sim.faults.clear();
      await cluster?.close();
    });

    it('SIGKILL at several points of a run: another replica reruns it, catalog and archive stay consistent', async () => {
      const fractions = [0.85, 0.6, 0.35, 0.1, 0.7];
      const outcomes: { at: number; attempt: number; status: string }[] = [];
      for (const fraction of fractions) {
        const victim = await cluster.start(`victim-${fraction}`);
        const started = await api(victim, cluster, 'POST', `/api/v1/sources/${sourceId}/runs`);
        expect(started.status).toBe(202);
        await sleep(Math.round(fraction * cleanRunMs));
        victim.signal('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        const run = await waitForRunEnd(cluster, started.body.id, 30_000 + 2 * cleanRunMs);
        outcomes.push({ at: fraction, attempt: run.attempt, status: run.status });
        expect(run.status).toBe('succeeded');
        if (run.attempt > 1) {
          expect(run.attempts[0]).toMatchObject({ attempt: 1, outcome: 'abandoned' });
          expect(run.attempts[0]!.owner).toContain(`:${victim.pid}:`);
        }
      }
      console.log(`kill -9 points (share of a ${cleanRunMs} ms run): ${JSON.stringify(outcomes)}`);
      // Most kills must have landed mid-run, or this test proved nothing.
      expect(outcomes.filter((o) => o.attempt === 2).length).toBeGreaterThanOrEqual(3);

      const [leftRunning] = await cluster.sql<{ n: number }>("SELECT count(*)::int AS n FROM runs WHERE status IN ('running', 'queued')");
      expect(leftRunning!.n).toBe(0);
      const duplicates = await cluster.sql('SELECT item_id, content_hash, count(*)::int AS n FROM catalog_versions GROUP BY item_id, content_hash HAVING count(*) > 1');
      expect(duplicates).toEqual([]);
      const [counts] = await cluster.sql<{ items: number; versions: number }>(
        'SELECT (SELECT count(*)::int FROM catalog_items WHERE source_id = $1) AS items, (SELECT count(*)::int FROM catalog_versions v JOIN catalog_items i ON i.id = v.item_id WHERE i.source_id = $1) AS versions',
        [sourceId],
      );
      const [probeItems] = await cluster.sql<{ n: number }>('SELECT count(*)::int AS n FROM catalog_items WHERE source_id = $1', [probeId]);
      expect(counts!.items).toBe(probeItems!.n);
      expect(counts!.versions).toBe(counts!.items);
      const orphanVersions = await cluster.sql('SELECT v.id FROM catalog_versions v LEFT JOIN artifacts a ON a.sha256 = v.artifact_sha256 WHERE a.sha256 IS NULL');
      expect(orphanVersions).toEqual([]);
      expect(await cluster.archiveProblems()).toEqual([]);
    }, 300_000);

    it('SIGTERM hands a running run back at once (grace over); another replica reruns it before the lease would expire', async () => {
      const leaving = await cluster.start('leaving', { APIVAULT_SHUTDOWN_GRACE_SECONDS: '0.3' });
      const started = await api(leaving, cluster, 'POST', `/api/v1/sources/${sourceId}/runs`);
      await sleep(Math.round(0.3 * cleanRunMs));
      const stoppedAt = Date.now();
      await leaving.stop();
      expectCleanShutdown(leaving);
      const run = await waitForRunEnd(cluster, started.body.id);
      expect(run.status).toBe('succeeded');
      expect(run.attempts.map((a) => a.outcome)).toEqual(['released', 'succeeded']);
      // Counted once: handing back is not a failed attempt.
      expect(run.attempt).toBe(1);
      const claimed = survivor.logs.find((line) => line.msg === 'run claimed' && line.runId === started.body.id);
      expect(claimed).toBeDefined();
      expect(Date.parse(String(claimed!.time)) - stoppedAt).toBeLessThan(CLUSTER_LEASE_SECONDS * 1000);
    }, 120_000);

    it('SIGTERM lets a run finish within the grace period', async () => {
      const leaving = await cluster.start('patient', { APIVAULT_SHUTDOWN_GRACE_SECONDS: '60' });
      const started = await api(leaving, cluster, 'POST', `/api/v1/sources/${sourceId}/runs`);
      await sleep(Math.round(0.3 * cleanRunMs));
      await leaving.stop();
      expectCleanShutdown(leaving);
      const [run] = await cluster.sql<RunRow>('SELECT id, slot, trigger, status::text, attempt, attempts, stats FROM runs WHERE id = $1', [started.body.id]);
      expect({ status: run!.status, attempt: run!.attempt }).toEqual({ status: 'succeeded', attempt: 1 });
      expect(run!.attempts[0]!.owner).toContain(`:${leaving.pid}:`);
    }, 120_000);

    it('refuses a second manual run anywhere, and cancels from another replica', async () => {
      const runner = await cluster.start('runner');
      const started = await api(runner, cluster, 'POST', `/api/v1/sources/${sourceId}/runs`);
      await sleep(Math.round(0.2 * cleanRunMs));
      const second = await api(survivor, cluster, 'POST', `/api/v1/sources/${sourceId}/runs`);
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('RUN_IN_PROGRESS');
      expect(second.body.error.message).toContain(started.body.id);
      const cancel = await api(survivor, cluster, 'POST', `/api/v1/runs/${started.body.id}/cancel`);
      expect(cancel.status).toBe(202);
      const run = await waitForRunEnd(cluster, started.body.id, CLUSTER_LEASE_SECONDS * 1000 + cleanRunMs);
      expect(run.status).toBe('cancelled');
      await runner.stop();
    }, 120_000);
  });
});
