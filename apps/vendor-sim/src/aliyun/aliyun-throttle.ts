/**
 * Flow control of the Alibaba Cloud gateway, per second: all calls (`Throttling.System`), calls of
 * one action by everyone (`Throttling.Api`), calls of one AccessKey (`Throttling.User`). A limit
 * left undefined is off. The real quotas are not public: the defaults are our decision.
 */
export interface AliyunThrottleLimits {
  userPerSecond?: number;
  apiPerSecond?: number;
  systemPerSecond?: number;
  /**
   * Sends `Retry-After` with a throttling answer: the whole seconds until the window that refused
   * the call admits one again. Off by default, as the real gateway sends none; on, it lets a test
   * check that a client waits what the vendor asks.
   */
  retryAfter?: boolean;
}
export type ThrottlingCode = 'Throttling.User' | 'Throttling.Api' | 'Throttling.System';

const WINDOW_MS = 1000;

/** Why a call was refused, and when to come back if the gateway is to say so. */
export interface ThrottleRefusal {
  code: ThrottlingCode;
  /** Present when `retryAfter` is on. */
  retryAfterSeconds?: number;
}

/** Admission times within the last second, oldest first. */
class SlidingWindow {
  private times: number[] = [];

  /** How long until the oldest admission leaves the window, freeing a place. */
  msUntilFree(now: number): number {
    const oldest = this.times[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + WINDOW_MS - now);
  }

  count(now: number): number {
    let drop = 0;
    while (drop < this.times.length && this.times[drop] <= now - WINDOW_MS) drop++;
    if (drop > 0) this.times = this.times.slice(drop);
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export class AliyunThrottle {
  private readonly system = new SlidingWindow();
  private readonly byApi = new Map<string, SlidingWindow>();
  private readonly byUser = new Map<string, SlidingWindow>();

  /** The limits are read at each call, so a test can change them while the simulator runs. */
  constructor(private readonly limits: () => AliyunThrottleLimits) {}

  /** Admits the call (and counts it) or says which limit it is over; a refused call does not count. */
  admit(accessKeyId: string, action: string, now = Date.now()): ThrottleRefusal | undefined {
    const limits = this.limits();
    const api = windowOf(this.byApi, action);
    const user = windowOf(this.byUser, accessKeyId);
    const refused = (code: ThrottlingCode, window: SlidingWindow): ThrottleRefusal =>
      limits.retryAfter ? { code, retryAfterSeconds: Math.max(1, Math.ceil(window.msUntilFree(now) / 1000)) } : { code };
    if (over(limits.systemPerSecond, this.system.count(now))) return refused('Throttling.System', this.system);
    if (over(limits.apiPerSecond, api.count(now))) return refused('Throttling.Api', api);
    if (over(limits.userPerSecond, user.count(now))) return refused('Throttling.User', user);
    this.system.add(now);
    api.add(now);
    user.add(now);
    return undefined;
  }
}

function over(limit: number | undefined, count: number): boolean {
  return limit !== undefined && count >= limit;
}

function windowOf(windows: Map<string, SlidingWindow>, key: string): SlidingWindow {
  let window = windows.get(key);
  if (!window) {
    window = new SlidingWindow();
    windows.set(key, window);
  }
  return window;
}
