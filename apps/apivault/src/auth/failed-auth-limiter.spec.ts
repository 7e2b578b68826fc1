import { FailedAuthLimiter } from './failed-auth-limiter.js';

describe('FailedAuthLimiter', () => {
  let now = 0;
  const limiter = () => new FailedAuthLimiter({ maxFailures: 3, windowMs: 60_000 }, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('limits an address once it reached the limit in the window, until its oldest failure leaves it', () => {
    const l = limiter();
    l.recordFailure('10.0.0.1');
    now += 10_000;
    l.recordFailure('10.0.0.1');
    expect(l.retryAfterMs('10.0.0.1')).toBe(0);
    now += 10_000;
    l.recordFailure('10.0.0.1');
    expect(l.retryAfterMs('10.0.0.1')).toBe(40_000);
    expect(l.retryAfterMs('10.0.0.2')).toBe(0);
    now += 40_000;
    expect(l.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const l = limiter();
    l.recordFailure('a');
    l.recordFailure('a');
    now += 60_001;
    l.recordFailure('a');
    expect(l.retryAfterMs('a')).toBe(0);
  });
});
