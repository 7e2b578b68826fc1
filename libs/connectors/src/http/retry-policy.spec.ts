import { backoffCeilingMs, DEFAULT_RETRY_POLICY, fullJitterBackoffMs, isIdempotentCall } from './retry-policy.js';

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeilingMs(n, policy))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('draws a full-jitter wait anywhere in [0, ceiling)', () => {
    expect([1, 2, 3, 4, 5].map((n) => fullJitterBackoffMs(n, policy, () => 0))).toEqual([0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 5].map((n) => fullJitterBackoffMs(n, policy, () => 0.9999))).toEqual([99, 199, 399, 799, 999]);
    expect(fullJitterBackoffMs(3, policy, () => 0.5)).toBe(200);
  });

  it('spreads real draws over the whole range and grows with the attempt', () => {
    const draws = (n: number) => Array.from({ length: 2_000 }, () => fullJitterBackoffMs(n, policy));
    const [first, third] = [draws(1), draws(3)];
    for (const wait of first) expect(wait >= 0 && wait < 100).toBe(true);
    for (const wait of third) expect(wait >= 0 && wait < 400).toBe(true);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(first)).toBeGreaterThan(40);
    expect(mean(first)).toBeLessThan(60);
    expect(mean(third)).toBeGreaterThan(3 * mean(first));
    expect(Math.max(...third)).toBeGreaterThan(360);
  });

  it('defaults to 4 attempts, 1 s doubling to 30 s, Retry-After up to 120 s', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 });
  });
});

describe('isIdempotentCall', () => {
  it('trusts the method unless the connector marks the call', () => {
    expect(['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'].every((m) => isIdempotentCall(m, undefined))).toBe(true);
    expect(isIdempotentCall('POST', undefined)).toBe(false);
    expect(isIdempotentCall('PATCH', undefined)).toBe(false);
    expect(isIdempotentCall('POST', true)).toBe(true);
    expect(isIdempotentCall('GET', false)).toBe(false);
  });
});
