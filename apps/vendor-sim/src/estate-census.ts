/**
 * What each vendor's estate holds right now, for `GET /_sim/estate` and `sim.estate()`:
 * vendor -> a function counting its items by kind, e.g. `{ dlf: () => ({ connections: 16 }) }`.
 * Each vendor adds its own line where the simulator is assembled (vendor-sim.ts).
 */
export type EstateCensus = Record<string, () => Record<string, number>>;

export interface EstateCounts {
  vendors: Record<string, Record<string, number>>;
  /** Sum of every vendor's `apis` count. */
  apis: number;
}

export function countEstate(census: EstateCensus): EstateCounts {
  const vendors: Record<string, Record<string, number>> = {};
  let apis = 0;
  for (const [vendor, count] of Object.entries(census)) {
    vendors[vendor] = count();
    apis += vendors[vendor].apis ?? 0;
  }
  return { vendors, apis };
}
