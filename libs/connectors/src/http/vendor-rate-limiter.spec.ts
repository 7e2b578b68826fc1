import { VendorRateLimiter, VendorRateLimiters, vendorRateLimitKey } from './vendor-rate-limiter.js';

async function startsOf(limiter: VendorRateLimiter, calls: number): Promise<number[]> {
  const started = Date.now();
  return Promise.all(
    Array.from({ length: calls }, async () => {
      const release = await limiter.acquire();
      release();
      return Date.now() - started;
    }),
  );
}

describe('VendorRateLimiter', () => {
  it('spaces starts at a fractional rate', async () => {
    const starts = await startsOf(new VendorRateLimiter('t:frac', { perSecond: 4.5, concurrency: 10 }), 6);
    // 4 starts per 888 ms window: the fifth waits for the first window to pass.
    expect(starts.slice(0, 4).every((ms) => ms < 100)).toBe(true);
    expect(Math.min(...starts.slice(4))).toBeGreaterThanOrEqual(880);
  });

  it('holds a slot until it is released, and a second release is harmless', async () => {
    const limiter = new VendorRateLimiter('t:slots', { perSecond: 1000, concurrency: 1 });
    const first = await limiter.acquire();
    let secondStarted = false;
    const second = limiter.acquire().then((release) => {
      secondStarted = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([secondStarted, limiter.inFlight, limiter.waiting]).toEqual([false, 1, 1]);
    first();
    first();
    (await second)();
    await new Promise((resolve) => setImmediate(resolve));
    expect(limiter.inFlight).toBe(0);
  });

  it('gives up waiting when the signal aborts, and the slot is not lost', async () => {
    const limiter = new VendorRateLimiter('t:abort', { perSecond: 1000, concurrency: 1 });
    const held = await limiter.acquire();
    const run = new AbortController();
    const waiting = limiter.acquire(run.signal);
    setTimeout(() => run.abort(new Error('run cancelled')), 30);
    await expect(waiting).rejects.toThrow('run cancelled');
    held();
    const next = await limiter.acquire();
    await new Promise((resolve) => setImmediate(resolve));
    expect([limiter.inFlight, limiter.waiting]).toEqual([1, 0]);
    next();
  });

  it('refuses a limit that cannot work', () => {
    expect(() => new VendorRateLimiter('t:bad', { perSecond: 0, concurrency: 1 })).toThrow(/perSecond must be a positive number/);
    expect(() => new VendorRateLimiter('t:bad', { perSecond: 1, concurrency: 1.5 })).toThrow(/concurrency must be a whole number/);
  });
});

describe('VendorRateLimiters', () => {
  it('shares one limiter per key; the last configuration wins', () => {
    const limiters = new VendorRateLimiters();
    const a = limiters.for('huawei.apig:apig.example.com', { perSecond: 5, concurrency: 2 });
    const b = limiters.for('huawei.apig:apig.example.com', { perSecond: 1, concurrency: 1 });
    const other = limiters.for('huawei.apig:other.example.com', { perSecond: 5, concurrency: 2 });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect(a.current).toEqual({ perSecond: 1, concurrency: 1 });
  });

  it('keys a vendor endpoint by service and host', () => {
    expect(vendorRateLimitKey('aliyun.dataworks', 'https://dataworks.cn-shanghai.aliyuncs.com/')).toBe('aliyun.dataworks:dataworks.cn-shanghai.aliyuncs.com');
    expect(vendorRateLimitKey('huawei.dlf', 'http://127.0.0.1:9090/sim/huawei')).toBe('huawei.dlf:127.0.0.1:9090');
  });
});
