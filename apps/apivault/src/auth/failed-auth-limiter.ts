/** How many failed authentications an address may make in a window before it is refused. */
export interface FailedAuthLimits {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_FAILED_AUTH_LIMITS: FailedAuthLimits = { maxFailures: 10, windowMs: 60_000 };

/** Addresses tracked at once; past this the stalest are forgotten (bounded memory under a scan). */
const MAX_TRACKED_ADDRESSES = 10_000;

/**
 * Sliding-window count of failed authentications per client address. Once an address reached
 * the limit, every authenticated request from it is refused (429) until its oldest failure
 * leaves the window, valid tokens included: answering a correct guess differently would let a
 * guesser go on. In memory, per process: each replica limits what it sees.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limits: FailedAuthLimits = DEFAULT_FAILED_AUTH_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the address may try again; 0 when it is not limited. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.limits.maxFailures) return 0;
    return Math.max(1, recent[recent.length - this.limits.maxFailures]! + this.limits.windowMs - this.now());
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    // Only the newest maxFailures matter for the decision.
    if (recent.length > this.limits.maxFailures) recent.splice(0, recent.length - this.limits.maxFailures);
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > MAX_TRACKED_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.limits.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > cutoff);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
    return kept;
  }
}
