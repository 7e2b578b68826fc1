/**
 * How runs are claimed, leased, retried and drained. Durations are seconds in the environment
 * (fractions allowed, so tests can use short leases) and milliseconds here.
 */
export interface RunEngineSettings {
  /** A replica that has not renewed its lease for this long is presumed dead; its run is taken over. */
  leaseMs: number;
  /** Runs executing at once across all replicas sharing the database. */
  maxParallelRuns: number;
  /** Attempts per run: a retryable failure, or a replica dying mid-run, uses one. */
  maxAttempts: number;
  /** First retry waits about this long; each further one twice as long (with jitter), at most 1 h. */
  retryBaseMs: number;
  /** On SIGTERM, running runs get this long to finish before they are handed back to the queue. */
  shutdownGraceMs: number;
  /** How often an idle replica looks for due runs (queued slots, retries, expired leases). */
  pollMs: number;
  /** How often a replica reloads the sources' schedules (changes made through another replica). */
  scheduleSyncMs: number;
  /** A slot missed while no replica was up: run the latest one once at start, or skip it. */
  missedSlots: 'run-once' | 'skip';
}

export const DEFAULT_RUN_ENGINE_SETTINGS: RunEngineSettings = {
  leaseMs: 60_000,
  maxParallelRuns: 4,
  maxAttempts: 3,
  retryBaseMs: 30_000,
  shutdownGraceMs: 30_000,
  pollMs: 2_000,
  scheduleSyncMs: 10_000,
  missedSlots: 'run-once',
};

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const value = env[name]?.trim();
  if (!value) return fallbackMs;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number of seconds, got "${value}"`);
  return Math.round(number * 1000);
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return number;
}

export function runEngineSettingsFromEnv(env: NodeJS.ProcessEnv): RunEngineSettings {
  const d = DEFAULT_RUN_ENGINE_SETTINGS;
  const missed = env.APIVAULT_MISSED_SLOTS?.trim() || d.missedSlots;
  if (missed !== 'run-once' && missed !== 'skip') throw new Error(`APIVAULT_MISSED_SLOTS must be run-once or skip, got "${missed}"`);
  const settings: RunEngineSettings = {
    leaseMs: seconds(env, 'APIVAULT_RUN_LEASE_SECONDS', d.leaseMs),
    maxParallelRuns: count(env, 'APIVAULT_MAX_PARALLEL_RUNS', d.maxParallelRuns),
    maxAttempts: count(env, 'APIVAULT_RUN_MAX_ATTEMPTS', d.maxAttempts),
    retryBaseMs: seconds(env, 'APIVAULT_RUN_RETRY_BASE_SECONDS', d.retryBaseMs),
    shutdownGraceMs: seconds(env, 'APIVAULT_SHUTDOWN_GRACE_SECONDS', d.shutdownGraceMs),
    pollMs: seconds(env, 'APIVAULT_RUN_POLL_SECONDS', d.pollMs),
    scheduleSyncMs: seconds(env, 'APIVAULT_SCHEDULE_SYNC_SECONDS', d.scheduleSyncMs),
    missedSlots: missed,
  };
  // Renewals happen every third of the lease: a lease shorter than 3 polls of the clock is noise.
  if (settings.leaseMs < 1000) throw new Error('APIVAULT_RUN_LEASE_SECONDS must be at least 1');
  return settings;
}
