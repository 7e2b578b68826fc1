import { VendorCallError } from '#connectors';
import { isRetryableRunFailure, retryAfterOf, retryDelayMs } from './run-retry-policy.js';

describe('run retry policy', () => {
  it('retries what the network or the vendor may get over, nothing else', () => {
    expect(isRetryableRunFailure(new VendorCallError('503', { call: 'GET /x', status: 503, retryable: true }))).toBe(true);
    expect(isRetryableRunFailure(new VendorCallError('403', { call: 'GET /x', status: 403, retryable: false }))).toBe(false);
    expect(isRetryableRunFailure(new Error('parse error'))).toBe(false);
  });

  it('doubles the delay per attempt, with jitter between half and all of it', () => {
    expect(retryDelayMs(2, 1000, 0, () => 0)).toBe(500);
    expect(retryDelayMs(2, 1000, 0, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 0, () => 1)).toBe(2000);
    expect(retryDelayMs(4, 1000, 0, () => 0.5)).toBe(3000);
  });

  it('caps the delay at an hour and never goes below Retry-After', () => {
    expect(retryDelayMs(30, 60_000, 0, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(2, 1000, 45_000, () => 1)).toBe(45_000);
    expect(retryAfterOf(new VendorCallError('429', { call: 'GET /x', status: 429, retryable: true, retryAfterMs: 7000 }))).toBe(7000);
    expect(retryAfterOf(new Error('x'))).toBe(0);
  });
});
