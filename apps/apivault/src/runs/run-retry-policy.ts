import { VendorCallError } from '#connectors';

const MAX_DELAY_MS = 3_600_000;

/**
 * Whether a failed run is worth another attempt: only failures the vendor or the network may
 * get over (timeouts, resets, 5xx, throttling, truncated bodies), as the HTTP client judged them
 * after its own per-call retries. A bad credential, a broken export or a parse error fails the
 * same way again, so the run fails at once with its reason.
 */
export function isRetryableRunFailure(error: unknown): boolean {
  return error instanceof VendorCallError && error.retryable;
}

/**
 * Delay before attempt `nextAttempt` (2, 3, ...): exponential from `baseMs`, with "equal jitter"
 * (half fixed, half random) so replicas retrying many sources do not hit a vendor in step, and
 * never shorter than the vendor's Retry-After.
 */
export function retryDelayMs(nextAttempt: number, baseMs: number, retryAfterMs = 0, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, nextAttempt - 2));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(Math.round(jittered), retryAfterMs);
}

/** The Retry-After a failure carried, if any (0 otherwise). */
export function retryAfterOf(error: unknown): number {
  return error instanceof VendorCallError ? (error.retryAfterMs ?? 0) : 0;
}
