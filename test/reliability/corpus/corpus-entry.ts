import type { ReplacementAnswer, VendorSim } from '#vendor-sim';

/**
 * One hostile or broken vendor answer of the bad-inputs scenario: which source's backup meets
 * it, on which vendor-sim route (served by the `replace-body` fault on every call of that route,
 * retries included), and which error codes count as the clear refusal it must cause.
 */
export interface CorpusEntry {
  id: string;
  /** What the entry is and what it checks, one sentence (docs/reliability.md lists them). */
  checks: string;
  /** The estate source whose backup meets it (a demo source name, or the suite's XML one). */
  source: string;
  /** vendor-sim route id, e.g. `dlf.export`; a function of the estate for one part's route (`apig.export.<group id>`). */
  route: string | ((sim: VendorSim) => string);
  replacement: ReplacementAnswer;
  /** The run's error code, or a failed part's, must be one of these. */
  codes: string[];
  /** What the error message (the run's, or a failed part's) must say: the problem, named. */
  says: RegExp;
  /**
   * Makes the entry's costly bytes ahead of time (they are then cached), so that vendor-sim,
   * which shares the test's process, never stalls the event loop for seconds while answering.
   */
  prepare?: () => void;
}

/** A value made once, on first use. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export const SOURCES = {
  dlf: 'demo-dlf-connections',
  dataService: 'demo-dataservice-apis',
  roma: 'demo-roma-livedata',
  apig: 'demo-apig-apis',
  dataWorks: 'demo-dataworks-apis',
  /** Added by the suite: DataWorks asked for XML pages, so that its XML parser meets the XML entries. */
  dataWorksXml: 'reliability-dataworks-xml',
} as const;
