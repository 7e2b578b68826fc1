/**
 * Faults the simulator can inject into vendor calls, to test how clients cope with bad input.
 * Each applies to the next N matching calls, then the calls are healthy again.
 */
export const SIM_FAULTS = [
  /** 401 with a Huawei body, as when a token expires between two calls. */
  'http-401',
  /** 500 with a Huawei body. */
  'http-500',
  /** Status 200 but an HTML error page (text/html), as a misconfigured proxy answers. */
  'html-200',
  /** The first half of the valid zip. */
  'truncated-zip',
  /** Random bytes served as application/octet-stream. */
  'not-zip',
  /** A valid zip plus an entry named `../../evil.conn`. */
  'zip-slip',
  /** A valid zip plus an entry named `/etc/evil.conn`. */
  'absolute-path',
  /** A valid zip plus a `.conn` entry of 64 MiB of zeros (about 64 KiB compressed). */
  'zip-bomb',
  /** A valid zip plus one `.conn` entry that is not JSON. */
  'bad-json-conn',
  /** The socket is destroyed in the middle of the response body. */
  'reset',
] as const;

export type SimFault = (typeof SIM_FAULTS)[number];

export function isSimFault(value: unknown): value is SimFault {
  return typeof value === 'string' && (SIM_FAULTS as readonly string[]).includes(value);
}

export interface InjectFaultOptions {
  /** How many calls it affects; default 1. */
  times?: number;
  /** Restricts the fault to one route id (e.g. `dlf.export`); default any route that takes faults. */
  route?: string;
}

interface PendingFault {
  fault: SimFault;
  remaining: number;
  route?: string;
}

export class FaultInjector {
  private pending: PendingFault[] = [];

  inject(fault: SimFault, options: InjectFaultOptions = {}): void {
    if (!isSimFault(fault)) throw new TypeError(`unknown fault: ${String(fault)}`);
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    this.pending.push({ fault, remaining: times, route: options.route });
  }

  clear(): void {
    this.pending = [];
  }

  /** Faults still to be served, in the order they will be. */
  list(): { fault: SimFault; remaining: number; route?: string }[] {
    return this.pending.map((p) => ({ ...p }));
  }

  /** Called by a route for each call: the fault to apply to it, if any (first injected, first served). */
  take(route: string): SimFault | undefined {
    const index = this.pending.findIndex((p) => p.route === undefined || p.route === route);
    if (index < 0) return undefined;
    const pending = this.pending[index];
    pending.remaining--;
    if (pending.remaining === 0) this.pending.splice(index, 1);
    return pending.fault;
  }
}
