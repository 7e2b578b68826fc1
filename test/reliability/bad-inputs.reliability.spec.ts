import { SourcesService } from '../../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from '../support/test-databases.js';
import { backupViaApi, getJson } from '../support/test-app.js';
import { CORPUS, SOURCES, type CorpusEntry } from './corpus/index.js';
import { checkArchive, sameItems, sourceCatalogState, type ArchiveInventory } from './support/catalog-invariants.js';
import { itemDifference, RELIABILITY_RATE_LIMIT, startReliabilityEstate, vendorItems, type EstateSource, type ReliabilityEstate } from './support/reliability-estate.js';
import { reliabilityScale } from './support/reliability-scale.js';
import { dishonestOutcomeProblems, errorCodes, errorMessages } from './support/run-outcome.js';
import { MiB, withRssGrowth } from './support/rss-growth.js';
import { ScenarioTally } from './support/scenario-tally.js';

const scale = reliabilityScale();

/**
 * How much the process may grow while one hostile answer is fetched and refused (vendor-sim
 * and apivault share the process). The bombs expand to 1 GiB and more; the largest honest
 * cost is the 64 MiB an APIG export may buffer before it is refused.
 */
const RSS_GROWTH_BOUND = 256 * MiB;
const RUN_TIMEOUT_MS = 120_000;

// Parsing does not depend on the database: the small form runs on one target, PostgreSQL when
// there is one (its work runs in its own process, so the suite uses both cores), else PGlite;
// a larger scale runs on every target.
const targets = scale.factor > 1 ? testDatabaseTargets : testDatabaseTargets.slice(-1);

describe.each(targets)('reliability: bad inputs ($name)', (target) => {
  const tally = new ScenarioTally(`bad-inputs/${target.name}`);
  let estate: ReliabilityEstate;
  let inventory: ArchiveInventory = new Map();
  let largestGrowth = 0;

  beforeAll(async () => {
    // The costly bytes first, while no HTTP connection is open: a synchronous stall of seconds
    // later (vendor-sim shares the process) would outlast the server's keep-alive and reset a
    // connection the test's HTTP client is about to reuse.
    for (const entry of CORPUS) entry.prepare?.();
    estate = await startReliabilityEstate(target, { seed: 202 });
    const { sim, t } = estate;
    // DataWorks asked for XML (RPC signature), so that the XML entries reach its XML parser.
    const xml = await t.app.get(SourcesService).upsert({
      name: SOURCES.dataWorksXml,
      kind: 'aliyun.dataworks.dataservice',
      config: { endpoint: sim.baseUrl, projects: sim.dataworks.listProjects().map((p) => p.projectId), format: 'xml', signature: 'rpc', rateLimit: RELIABILITY_RATE_LIMIT },
      credentialName: 'demo-aliyun-ak',
    });
    estate.sources.push({ id: xml.id, name: xml.name, kind: xml.kind, config: xml.config as Record<string, any> });
    // Every source starts with a catalog, so that "left untouched" has something to keep.
    const runs = await Promise.all(estate.sources.map((source) => backupViaApi(t, source.id, RUN_TIMEOUT_MS)));
    expect(runs.map((run) => run.status)).toEqual(estate.sources.map(() => 'succeeded'));
    inventory = (await checkArchive(t)).inventory;
  });

  afterAll(async () => {
    tally.print();
    process.stdout.write(`bad-inputs/${target.name}: largest resident memory growth ${(largestGrowth / MiB).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND / MiB} MiB)\n`);
    await estate?.close();
  });

  // A test that failed half way may leave a run going: the next entry must not meet it.
  afterEach(async () => {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const [running, queued] = await Promise.all(['running', 'queued'].map((status) => getJson(`${estate.t.url}/api/v1/runs?status=${status}&limit=1`)));
      if (running.body.items.length === 0 && queued.body.items.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  /** Another source of another kind backed up at the same time, turn by turn. */
  function bystanderOf(entry: CorpusEntry, turn: number): EstateSource {
    const victim = estate.source(entry.source);
    const others = estate.sources.filter((source) => source.kind !== victim.kind);
    return others[turn % others.length]!;
  }

  it.each(CORPUS.map((entry, turn) => [entry.id, entry, turn] as const))('%s: a clear error on its own run, other sources untouched, memory bounded', async (_id, entry, turn) => {
    const { sim, t, sources } = estate;
    const victim = estate.source(entry.source);
    const bystander = bystanderOf(entry, turn);
    const before = await Promise.all(sources.map((source) => sourceCatalogState(t.db, source.id)));

    const route = typeof entry.route === 'function' ? entry.route(sim) : entry.route;
    const rule = sim.faults.addRule({ fault: 'replace-body', route, replacement: entry.replacement });
    let measured;
    try {
      measured = await withRssGrowth(() => Promise.all([backupViaApi(t, victim.id, RUN_TIMEOUT_MS), backupViaApi(t, bystander.id, RUN_TIMEOUT_MS)]));
    } finally {
      sim.faults.removeRule(rule.id);
    }
    const [run, bystanderRun] = measured.result;
    largestGrowth = Math.max(largestGrowth, measured.growthBytes);

    const problems: string[] = [];
    if (sim.faults.history().every((firing) => firing.by !== rule.id)) problems.push(`the hostile answer was never served on ${route}`);
    if (run.status !== 'failed' && run.status !== 'partial') problems.push(`the run ended ${run.status}, not failed or partial`);
    const victimIndex = sources.indexOf(victim);
    const after = await Promise.all(sources.map((source) => sourceCatalogState(t.db, source.id)));
    problems.push(...dishonestOutcomeProblems(run, before[victimIndex]!, after[victimIndex]!, vendorItems(sim, victim)));
    const codes = errorCodes(run);
    if (!codes.some((code) => entry.codes.includes(code))) problems.push(`error codes [${codes.join(', ')}] are none of [${entry.codes.join(', ')}]: ${run.error?.message}`);
    if (!errorMessages(run).some((message) => entry.says.test(message))) problems.push(`no error message says ${entry.says}: ${run.error?.message}`);

    if (bystanderRun.status !== 'succeeded' || bystanderRun.changes.length > 0) {
      problems.push(`${bystander.name}, backed up meanwhile, ended ${bystanderRun.status} with ${bystanderRun.changes?.length} change(s): ${JSON.stringify(bystanderRun.error)}`);
    }
    sources.forEach((source, i) => {
      if (source === victim) return;
      if (!sameItems(before[i]!.items, after[i]!.items) || before[i]!.versions !== after[i]!.versions) {
        problems.push(`${source.name} changed: ${itemDifference(after[i]!.items, before[i]!.items) ?? `${before[i]!.versions} -> ${after[i]!.versions} versions`}`);
      }
    });
    if (measured.growthBytes > RSS_GROWTH_BOUND) problems.push(`resident memory grew ${(measured.growthBytes / MiB).toFixed(0)} MiB, over the ${RSS_GROWTH_BOUND / MiB} MiB bound`);

    const checked = await checkArchive(t, inventory);
    tally.losses(entry.id, checked.lost);
    inventory = checked.inventory;
    tally.attempt(entry.id, problems);
    expect({ problems, lost: checked.lost, message: run.error?.message }).toEqual({ problems: [], lost: [], message: expect.any(String) });
  });

  it('leaves a catalog that a clean run brings back to the vendor, with nothing lost', async () => {
    const { sim, t, sources } = estate;
    const runs = await Promise.all(sources.map((source) => backupViaApi(t, source.id, RUN_TIMEOUT_MS)));
    for (const [i, source] of sources.entries()) {
      const difference = itemDifference((await sourceCatalogState(t.db, source.id)).items, vendorItems(sim, source));
      if (runs[i]!.status !== 'succeeded' || difference) tally.losses(`clean run, ${source.name}`, [`ended ${runs[i]!.status}; ${difference ?? 'catalog as the vendor'}`]);
    }
    const checked = await checkArchive(t, inventory);
    tally.losses('after the clean runs, archive', checked.lost);
    expect(tally.lost).toBe(0);
    expect(tally.problems).toEqual([]);
    expect(tally.tried).toBe(CORPUS.length);
  });
});
