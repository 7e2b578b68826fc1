/**
 * The score of one reliability scenario, printed as one line:
 * `scenario <name>: tried N, held N, lost N`.
 *
 * - tried: runs (faults), hostile inputs (bad-inputs) or reads (api-load) the scenario made;
 * - held: those after which every invariant the scenario checks still held;
 * - lost: archived objects missing or changed, catalog versions without their archive object,
 *   and catalog items differing from the vendor after a clean run. It must be 0.
 *
 * Every broken invariant is kept with its reason, so that a failing suite says what broke.
 */
export class ScenarioTally {
  tried = 0;
  held = 0;
  lost = 0;
  readonly problems: string[] = [];

  constructor(readonly name: string) {}

  /** One attempt (a run, an input, a read): held when `problems` is empty. */
  attempt(what: string, problems: readonly string[]): void {
    this.tried++;
    if (problems.length === 0) this.held++;
    else this.problems.push(...problems.map((problem) => `${what}: ${problem}`));
  }

  /** Losses found by an archive or catalog check (they also count as problems). */
  losses(what: string, lost: readonly string[]): void {
    this.lost += lost.length;
    this.problems.push(...lost.map((loss) => `${what}: LOST ${loss}`));
  }

  line(): string {
    return `scenario ${this.name}: tried ${this.tried}, held ${this.held}, lost ${this.lost}`;
  }

  /** Written to stdout as it is, not through jest's console (which adds a stack location). */
  print(): void {
    process.stdout.write(`${this.line()}\n`);
  }
}
