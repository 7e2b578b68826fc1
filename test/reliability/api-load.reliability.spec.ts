import { testDatabaseTargets } from '../support/test-databases.js';
import { backupViaApi, getJson, postJson } from '../support/test-app.js';
import { checkArchive, sourceCatalogState } from './support/catalog-invariants.js';
import { editVendorEstate, itemDifference, startReliabilityEstate, vendorItems, type EstateSource, type ReliabilityEstate } from './support/reliability-estate.js';
import { reliabilityScale } from './support/reliability-scale.js';
import { ScenarioTally } from './support/scenario-tally.js';

const scale = reliabilityScale();
const RUN_TIMEOUT_MS = 180_000;
/** What the vendor-side edits write into descriptions, and what the search clients look for. */
const EDIT_NOTE = 'edited before round 1';
/** The sources backed up under load: API Gateway (many calls and exports) and DataWorks (pages). */
const LOADED_SOURCES = ['demo-apig-apis', 'demo-dataworks-apis'];
/** Run stats that only ever grow while a run goes on. */
const GROWING_STATS = ['callsDone', 'artifacts', 'artifactsNew', 'bytes', 'itemsParsed'] as const;
/**
 * Between two reads of one client. The clients share the process (and PGlite its one
 * connection) with the app: without a pause they would starve the runs they watch.
 */
const CLIENT_PAUSE_MS = 20;
const STATUS_ORDER: Record<string, number> = { queued: 0, running: 1, succeeded: 2, partial: 2, failed: 2, held: 2, cancelled: 2 };

/** The ids of a source's live items as the catalog API lists them (one page holds them all here). */
async function listedIds(url: string, sourceId: string): Promise<{ status: number; ids: string[] | null }> {
  const page = await getJson(`${url}/api/v1/catalog/items?source=${sourceId}&limit=500`);
  if (page.status !== 200 || page.body.nextCursor !== null) return { status: page.status, ids: null };
  return { status: page.status, ids: page.body.items.map((item: any) => item.externalId).sort() };
}

describe.each(testDatabaseTargets)('reliability: api-load ($name)', (target) => {
  const tally = new ScenarioTally(`api-load/${target.name}`);
  let estate: ReliabilityEstate;

  beforeAll(async () => {
    estate = await startReliabilityEstate(target, { seed: 303, scale: scale.loadEstateScale });
    const runs = await Promise.all(LOADED_SOURCES.map((name) => backupViaApi(estate.t, estate.source(name).id, RUN_TIMEOUT_MS)));
    expect(runs.map((run) => run.status)).toEqual(LOADED_SOURCES.map(() => 'succeeded'));
  });

  afterAll(async () => {
    tally.print();
    await estate?.close();
  });

  it(`answers ${scale.loadClients} concurrent readers correctly while backups run: 2xx, run stats never going back, the catalog before or after, never between`, async () => {
    const { sim, t } = estate;
    const loaded = LOADED_SOURCES.map((name) => estate.source(name));

    // What each reader may see of a source: its catalog as it is, or as the run will leave it.
    editVendorEstate(sim, 1);
    const expected = new Map<string, { before: string; after: string; searchBefore: number }>();
    for (const source of loaded) {
      const flat = (ids: Iterable<string>) => JSON.stringify([...ids].sort());
      const before = [...(await sourceCatalogState(t.db, source.id)).items.values()].flatMap((ids) => [...ids]);
      const after = [...vendorItems(sim, source).values()].flatMap((ids) => [...ids]);
      const search = await getJson(`${t.url}/api/v1/catalog/search?source=${source.id}&q=${encodeURIComponent(EDIT_NOTE)}&limit=500`);
      expected.set(source.id, { before: flat(before), after: flat(after), searchBefore: search.body.items.length });
    }

    const started = await Promise.all(loaded.map((source) => postJson(`${t.url}/api/v1/sources/${source.id}/runs`)));
    expect(started.map((s) => s.status)).toEqual(loaded.map(() => 202));
    const runIds = started.map((s) => s.body.id as string);
    const lastSeen = new Map<string, any>();
    let ended = false;
    /** Reads of a run while it was still going: the proof that reads and runs overlapped. */
    let readsOfRunningRuns = 0;

    /** One read of each kind in turn; returns what was wrong with it. */
    const reads: ((source: EstateSource, runId: string) => Promise<string[]>)[] = [
      async (_source, runId) => {
        const answer = await getJson(`${t.url}/api/v1/runs/${runId}`);
        if (answer.status !== 200) return [`GET /runs/${runId} answered ${answer.status}`];
        const run = answer.body;
        if (STATUS_ORDER[run.status] === 1) readsOfRunningRuns++;
        const previous = lastSeen.get(runId);
        const problems: string[] = [];
        // Answers can arrive out of order between clients: compare with the latest seen so far.
        if (previous) {
          if (STATUS_ORDER[run.status]! < STATUS_ORDER[previous.status]!) problems.push(`run ${runId} went from ${previous.status} back to ${run.status}`);
          for (const stat of GROWING_STATS) {
            if ((run.stats?.[stat] ?? 0) < (previous.stats?.[stat] ?? 0)) problems.push(`run ${runId} stat ${stat} went back from ${previous.stats[stat]} to ${run.stats?.[stat]}`);
          }
        }
        if (!previous || STATUS_ORDER[run.status]! >= STATUS_ORDER[previous.status]!) lastSeen.set(runId, run);
        return problems;
      },
      async (source) => {
        const { status, ids } = await listedIds(t.url, source.id);
        if (status !== 200 || ids === null) return [`GET /catalog/items answered ${status}${ids === null ? ' over more than one page' : ''}`];
        const seen = JSON.stringify(ids);
        const { before, after } = expected.get(source.id)!;
        return seen === before || seen === after ? [] : [`the catalog of ${source.name} was neither before nor after the run (${ids.length} items)`];
      },
      async (source) => {
        const answer = await getJson(`${t.url}/api/v1/catalog/search?source=${source.id}&q=${encodeURIComponent(EDIT_NOTE)}&limit=500`);
        if (answer.status !== 200) return [`GET /catalog/search answered ${answer.status}`];
        const count = answer.body.items.length;
        const { searchBefore } = expected.get(source.id)!;
        // After the run, the edited items are found; the count is checked against the final one below.
        return count === searchBefore || count === vendorEditedCount(source) ? [] : [`search found ${count} items in ${source.name}, neither ${searchBefore} nor ${vendorEditedCount(source)}`];
      },
    ];
    const vendorEditedCount = (source: EstateSource) => (source.kind === 'huawei.apig' ? 1 : sim.dataworks.listProjects().length);

    const client = async (index: number) => {
      for (let turn = index; !ended; turn++) {
        const i = turn % loaded.length;
        const problems = await reads[turn % reads.length]!(loaded[i]!, runIds[i]!);
        tally.attempt(`client ${index}, read ${turn}`, problems);
        await new Promise((resolve) => setTimeout(resolve, CLIENT_PAUSE_MS));
      }
    };
    const clients = Array.from({ length: scale.loadClients }, (_, i) => client(i));
    const runs = await Promise.all(runIds.map(async (runId) => {
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const run = await getJson(`${t.url}/api/v1/runs/${runId}`);
        if (run.body.status !== 'running' && run.body.status !== 'queued') return run.body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`run ${runId} did not finish within ${RUN_TIMEOUT_MS} ms`);
    })).finally(() => {
      ended = true;
    });
    await Promise.all(clients);

    expect(runs.map((run) => run.status)).toEqual(loaded.map(() => 'succeeded'));
    for (const source of loaded) {
      const difference = itemDifference((await sourceCatalogState(t.db, source.id)).items, vendorItems(sim, source));
      if (difference) tally.losses(source.name, [`after the run under load, the catalog differs from the vendor: ${difference}`]);
    }
    tally.losses('archive', (await checkArchive(t)).lost);
    expect(tally.problems).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(readsOfRunningRuns).toBeGreaterThan(0);
    process.stdout.write(`api-load/${target.name}: ${tally.tried} reads by ${scale.loadClients} clients, ${readsOfRunningRuns} of a run still going; runs took ${runs.map((run) => run.stats.durationMs).join(' and ')} ms\n`);
  });
});
