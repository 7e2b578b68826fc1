import pLimit, { type LimitFunction } from 'p-limit';
import pThrottle from 'p-throttle';
import { untilAborted } from './abortable-delay.js';

/** How hard one vendor endpoint may be called, by every run of this process together. */
export interface RateLimit {
  /** Calls started per second; may be fractional (0.5: one call every two seconds). */
  perSecond: number;
  /** Calls in flight at once. A streamed body counts until it has been read, dropped or timed out. */
  concurrency: number;
}

/** For a connector that states nothing better; conservative, since vendor quotas are per account. */
export const DEFAULT_VENDOR_RATE_LIMIT: Readonly<RateLimit> = { perSecond: 5, concurrency: 2 };

/** Frees a concurrency slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Concurrency (p-limit) and start rate (p-throttle, strict: no window ever holds more than the
 * limit) for one vendor key. A caller holds its slot across the whole exchange, body included.
 */
export class VendorRateLimiter {
  private limit: RateLimit;
  private readonly slots: LimitFunction;
  private nextStart: () => Promise<void>;

  constructor(
    readonly key: string,
    limit: RateLimit,
  ) {
    checkRateLimit(key, limit);
    this.limit = { ...limit };
    this.slots = pLimit(limit.concurrency);
    this.nextStart = startThrottle(limit.perSecond);
  }

  get current(): RateLimit {
    return { ...this.limit };
  }

  /** Calls holding a slot now. */
  get inFlight(): number {
    return this.slots.activeCount;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.slots.pendingCount;
  }

  /** A later client asking for another limit changes it for everyone: the last configuration wins. */
  configure(limit: RateLimit): void {
    checkRateLimit(this.key, limit);
    if (limit.concurrency !== this.limit.concurrency) this.slots.concurrency = limit.concurrency;
    if (limit.perSecond !== this.limit.perSecond) this.nextStart = startThrottle(limit.perSecond);
    this.limit = { ...limit };
  }

  /**
   * Waits for a free slot, then for the rate to allow one more start. Rejects with the signal's
   * reason if it aborts meanwhile; the caller must release the slot it gets, exactly once or more.
   */
  async acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    const release = await this.slot(signal);
    try {
      await untilAborted(this.nextStart(), signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private slot(signal: AbortSignal | undefined): Promise<ReleaseSlot> {
    signal?.throwIfAborted();
    return new Promise<ReleaseSlot>((resolve, reject) => {
      let abandoned = false;
      const onAbort = (): void => {
        abandoned = true;
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // p-limit holds the slot until the promise returned here settles, i.e. until release().
      void this.slots(
        () =>
          new Promise<void>((free) => {
            signal?.removeEventListener('abort', onAbort);
            if (abandoned) free();
            else resolve(once(free));
          }),
      );
    });
  }
}

/** The limiters of one process, by vendor key; clients that share a key share its limit. */
export class VendorRateLimiters {
  private readonly byKey = new Map<string, VendorRateLimiter>();

  for(key: string, limit: RateLimit): VendorRateLimiter {
    const existing = this.byKey.get(key);
    if (existing) {
      existing.configure(limit);
      return existing;
    }
    const limiter = new VendorRateLimiter(key, limit);
    this.byKey.set(key, limiter);
    return limiter;
  }

  get(key: string): VendorRateLimiter | undefined {
    return this.byKey.get(key);
  }
}

/** Shared by every run of the process, so two sources on one vendor endpoint share its quota. */
export const sharedVendorRateLimiters = new VendorRateLimiters();

/** `huawei.apig:apig.cn-north-4.myhuaweicloud.com`: the service and the host (with port) it is called on. */
export function vendorRateLimitKey(service: string, endpoint: string): string {
  return `${service}:${new URL(endpoint).host}`;
}

function checkRateLimit(key: string, limit: RateLimit): void {
  if (!(Number.isFinite(limit.perSecond) && limit.perSecond > 0)) {
    throw new RangeError(`rate limit of ${key}: perSecond must be a positive number, got ${limit.perSecond}`);
  }
  if (!(Number.isInteger(limit.concurrency) && limit.concurrency >= 1)) {
    throw new RangeError(`rate limit of ${key}: concurrency must be a whole number >= 1, got ${limit.concurrency}`);
  }
}

/** Whole calls per window: 5/s is 5 per 1000 ms; 2.5/s is 2 per 800 ms; 0.5/s is 1 per 2000 ms. */
function startThrottle(perSecond: number): () => Promise<void> {
  const burst = Math.max(1, Math.floor(perSecond));
  const throttled = pThrottle({ limit: burst, interval: (1000 * burst) / perSecond, strict: true })(() => undefined);
  return async () => {
    await throttled();
  };
}

function once(release: () => void): ReleaseSlot {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
