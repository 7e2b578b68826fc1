import type { FaultConfig, FaultRule } from '#vendor-sim';
import { testDatabaseTargets } from '../support/test-databases.js';
import { backupViaApi } from '../support/test-app.js';
import { checkArchive, sourceCatalogState, type ArchiveInventory, type SourceCatalogState } from './support/catalog-invariants.js';
import { editVendorEstate, itemDifference, startReliabilityEstate, vendorItems, type ItemsByScope, type ReliabilityEstate } from './support/reliability-estate.js';
import { reliabilityScale } from './support/reliability-scale.js';
import { dishonestOutcomeProblems } from './support/run-outcome.js';
import { ScenarioTally } from './support/scenario-tally.js';

const scale = reliabilityScale();

/** The share of vendor calls that get a fault. */
const FAULT_SHARE = 0.2;
/** What a flaky vendor and network do; latency is one of them, and adds up with the others. */
const FAULT_KINDS = ['http-429', 'http-500', 'http-503', 'reset', 'truncated'] as const;
const LATENCY_MS: [number, number] = [50, 400];
/** A run under faults waits out retries and Retry-After: far longer than a clean one. */
const RUN_TIMEOUT_MS = 180_000;

/**
 * Seeded rules that give FAULT_SHARE of all calls, on every route, one of the fault kinds in
 * equal parts. A call gets at most one non-latency fault and the rules after the one that fired
 * do not draw, so each rule's rate is its share of the calls the earlier rules left.
 */
function flakyVendorRules(seed: number): FaultConfig {
  const kinds = FAULT_KINDS.length + 1;
  const each = FAULT_SHARE / kinds;
  const rules: FaultRule[] = FAULT_KINDS.map((fault, i) => ({ route: '*', fault, rate: each / (1 - i * each) }));
  rules.push({ route: '*', fault: 'latency', rate: each, latencyMs: LATENCY_MS });
  return { seed, rules };
}

describe.each(testDatabaseTargets)('reliability: faults ($name)', (target) => {
  const tally = new ScenarioTally(`faults/${target.name}`);
  let estate: ReliabilityEstate;

  beforeAll(async () => {
    estate = await startReliabilityEstate(target, { seed: 101, scale: scale.faultEstateScale });
  });

  afterAll(async () => {
    tally.print();
    await estate?.close();
  });

  /** Backs every source up at once, and returns each run with its catalog before and after. */
  async function backupRound(): Promise<{ run: any; before: SourceCatalogState; after: SourceCatalogState; vendor: ItemsByScope }[]> {
    const { sim, t, sources } = estate;
    const befores = await Promise.all(sources.map((source) => sourceCatalogState(t.db, source.id)));
    const vendors = sources.map((source) => vendorItems(sim, source));
    const runs = await Promise.all(sources.map((source) => backupViaApi(t, source.id, RUN_TIMEOUT_MS)));
    const afters = await Promise.all(sources.map((source) => sourceCatalogState(t.db, source.id)));
    return runs.map((run, i) => ({ run, before: befores[i]!, after: afters[i]!, vendor: vendors[i]! }));
  }

  it('ends every run complete or honestly partial/failed, then a clean run matches the vendor, and nothing is lost', async () => {
    const { sim, t, sources } = estate;
    let inventory: ArchiveInventory = new Map();
    const lastFaultyStatus = new Map<string, string>();
    let calls = 0;
    let faulted = 0;

    for (let round = 1; round <= scale.faultRounds; round++) {
      editVendorEstate(sim, round);
      sim.faults.clear();
      sim.faults.configure(flakyVendorRules(1000 + round));
      const requestsBefore = sim.requests.length;
      const outcomes = await backupRound();
      calls += sim.requests.length - requestsBefore;
      faulted += new Set(sim.faults.history().map((firing) => `${firing.route}#${firing.call}`)).size;
      sim.faults.clear();

      outcomes.forEach(({ run, before, after, vendor }, i) => {
        lastFaultyStatus.set(sources[i]!.id, run.status);
        tally.attempt(`round ${round}, ${sources[i]!.name} (${run.status})`, dishonestOutcomeProblems(run, before, after, vendor));
      });
      const checked = await checkArchive(t, inventory);
      tally.losses(`round ${round}, archive`, checked.lost);
      inventory = checked.inventory;
    }

    // Faults off: one clean run of every source must bring the catalog to the vendor's state.
    const clean = await backupRound();
    clean.forEach(({ run, after, vendor }, i) => {
      const source = sources[i]!;
      const problems = run.status === 'succeeded' ? [] : [`the clean run ended ${run.status}: ${JSON.stringify(run.error)}`];
      const difference = itemDifference(after.items, vendor);
      if (difference) tally.losses(`clean run, ${source.name}`, [`the catalog differs from the vendor: ${difference}`]);
      // The vendor did not change since the last faulty round: a run that said it succeeded then
      // must have left nothing for this one to change (documents included, not only ids).
      const changed = run.changes?.length ?? 0;
      if (lastFaultyStatus.get(source.id) === 'succeeded' && changed > 0) {
        problems.push(`the last faulty run succeeded, yet the clean run found ${changed} change(s): ${run.changes.slice(0, 3).map((c: any) => `${c.type} ${c.externalId}`).join(', ')}`);
      }
      tally.attempt(`clean run, ${source.name}`, problems);
    });
    const checked = await checkArchive(t, inventory);
    tally.losses('after the clean run, archive', checked.lost);

    process.stdout.write(`faults/${target.name}: ${faulted} of ${calls} vendor calls faulted (${((100 * faulted) / Math.max(calls, 1)).toFixed(1)} %), ${[...lastFaultyStatus.values()].join(' ')}\n`);
    expect(tally.problems).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(tally.tried).toBe(sources.length * (scale.faultRounds + 1));
    // The scenario proves something only if faults really fired, at about the share asked.
    expect(faulted / calls).toBeGreaterThan(FAULT_SHARE / 3);
    expect(checked.inventory.size).toBeGreaterThan(0);
  });
});
