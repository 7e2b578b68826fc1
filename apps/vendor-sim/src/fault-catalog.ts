/**
 * Every fault the simulator can inject into a vendor call, to test how clients cope with a bad
 * vendor. Three families, by who serves them:
 * - generic: any vendor route, served by `applyFaults` (fault-answers.ts);
 * - zip: any route whose answer is a zip, served by `applyFaults` too when the route says so;
 * - vendor: served by the one route that knows what they mean (it lists them in `vendorFaults`).
 */
export const SIM_FAULTS = [
  /** Only the added latency (`latencyMs`), then the normal answer. */
  'latency',
  /** Status faults: the vendor's own error body for that status (the route renders it). */
  'http-400',
  /** 401, as when a token expires between two calls. */
  'http-401',
  'http-403',
  'http-404',
  /** 429 with `Retry-After` (default 1 s). */
  'http-429',
  'http-500',
  'http-502',
  /** 503 with `Retry-After` (default 1 s). */
  'http-503',
  'http-504',
  /** Status 200 but an HTML error page (text/html), as a misconfigured proxy answers. */
  'html-200',
  /** The healthy headers (Content-Length of the whole body), half the body, then the socket is destroyed. */
  'reset',
  /** The first half of the healthy body, with a Content-Length that matches the half: a clean but short answer. */
  'truncated',
  /**
   * The healthy headers, with the status, headers and body of the fault's `replacement` instead:
   * any hostile or broken answer a test brings (the reliability corpus), over real HTTP.
   */
  'replace-body',
  /** Zip routes: same as `truncated` (the name the DLF tests have always used). */
  'truncated-zip',
  /** Zip routes: random bytes (seeded, never starting with "PK") with the zip's headers. */
  'not-zip',
  /** Zip routes: a well-formed zip whose first entry's data cannot be inflated. */
  'corrupt-zip',
  /** DLF: a valid zip plus an entry named `../../evil.conn`. */
  'zip-slip',
  /** DLF: a valid zip plus an entry named `/etc/evil.conn`. */
  'absolute-path',
  /** DLF: a valid zip plus a `.conn` entry of 64 MiB of zeros (about 64 KiB compressed). */
  'zip-bomb',
  /** DLF: a valid zip plus one `.conn` entry that is not JSON. */
  'bad-json-conn',
  /** DataService: a valid zip holding a workbook that is not a valid `.xlsx`. */
  'corrupt-workbook',
  /** DataWorks: the estate shifts between two page reads (APIs created or deleted meanwhile). */
  'page-shift',
] as const;

export type SimFault = (typeof SIM_FAULTS)[number];

export function isSimFault(value: unknown): value is SimFault {
  return typeof value === 'string' && (SIM_FAULTS as readonly string[]).includes(value);
}

/** Served by `applyFaults` on every route. */
export const GENERIC_FAULTS = [
  'latency',
  'http-400',
  'http-401',
  'http-403',
  'http-404',
  'http-429',
  'http-500',
  'http-502',
  'http-503',
  'http-504',
  'html-200',
  'reset',
  'truncated',
  'replace-body',
] as const satisfies readonly SimFault[];

/** Served by `applyFaults` on routes whose healthy answer is a zip. */
export const ZIP_FAULTS = ['truncated-zip', 'not-zip', 'corrupt-zip'] as const satisfies readonly SimFault[];

export type GenericFault = (typeof GENERIC_FAULTS)[number];
export type ZipFault = (typeof ZIP_FAULTS)[number];

/** The HTTP status of a status fault (`http-429` -> 429), undefined for the others. */
export function faultStatus(fault: SimFault): number | undefined {
  const match = /^http-(\d{3})$/.exec(fault);
  return match ? Number(match[1]) : undefined;
}

/** Statuses whose answer carries `Retry-After` unless the fault says otherwise. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);
export const DEFAULT_RETRY_AFTER_SECONDS = 1;
