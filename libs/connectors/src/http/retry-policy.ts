/** How the HTTP client repeats a failed vendor call. */
export interface RetryPolicy {
  /** Sends of one call, the first included (a resend after a renewed credential is extra). */
  maxAttempts: number;
  /** Ceiling of the wait after the first failure; it doubles after each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After honoured; a vendor that asks for more fails the call at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** The longest wait after the `failedAttempt`-th failure (1-based): exponential, capped. */
export function backoffCeilingMs(failedAttempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
}

/**
 * "Full jitter": a uniform wait in [0, ceiling). Runs that were throttled together spread out
 * instead of coming back together, which a fixed or half-jittered backoff does not achieve.
 */
export function fullJitterBackoffMs(
  failedAttempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeilingMs(failedAttempt, policy));
}

/** RFC 9110 9.2.2: the methods whose repetition has the effect of one request. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** A call may be repeated when its method is idempotent or the connector says it is (a read-only export POST). */
export function isIdempotentCall(method: string, marked: boolean | undefined): boolean {
  return marked ?? IDEMPOTENT_METHODS.has(method.toUpperCase());
}
