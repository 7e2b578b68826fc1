/**
 * How big the reliability suite runs: `RELIABILITY_SCALE` (a positive number, default 1). Scale 1
 * is CI's small form (the three scenarios in about three minutes on a 2-core machine); larger
 * values run more rounds, a larger estate and more clients, for a deeper local run.
 */
export interface ReliabilityScale {
  factor: number;
  /** Faults: backup rounds of every source under faults, before the clean one. */
  faultRounds: number;
  /** Faults: vendor-sim `scale` of the estate. */
  faultEstateScale: number;
  /** API load: vendor-sim `scale` of the source backed up while clients read. */
  loadEstateScale: number;
  /** API load: concurrent clients reading while the backup runs. */
  loadClients: number;
}

export function reliabilityScale(raw = process.env.RELIABILITY_SCALE): ReliabilityScale {
  const factor = raw === undefined || raw.trim() === '' ? 1 : Number(raw);
  if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`RELIABILITY_SCALE must be a positive number, got ${JSON.stringify(raw)}`);
  return {
    factor,
    faultRounds: Math.max(2, Math.round(2 * factor)),
    faultEstateScale: factor,
    loadEstateScale: factor,
    loadClients: Math.max(2, Math.round(4 * factor)),
  };
}
