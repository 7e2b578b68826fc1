/**
 * Flow control of the Alibaba Cloud gateway, per second: all calls (`Throttling.System`), calls of
 * one action by everyone (`Throttling.Api`), calls of one AccessKey (`Throttling.User`). A limit
 * left undefined is off. The real quotas are not public: the defaults are our decision.
 */
export interface AliyunThrottleLimits {
  userPerSecond?: number;
  apiPerSecond?: number;
  systemPerSecond?: number;
}

export type ThrottlingCode = 'Throttling.User' | 'Throttling.Api' | 'Throttling.System';

const WINDOW_MS = 1000;

/** Admission times within the last second, oldest first. */
class SlidingWindow {
  private times: number[] = [];

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
  admit(accessKeyId: string, action: string, now = Date.now()): ThrottlingCode | undefined {
    const limits = this.limits();
    const api = windowOf(this.byApi, action);
    const user = windowOf(this.byUser, accessKeyId);
    if (over(limits.systemPerSecond, this.system.count(now))) return 'Throttling.System';
    if (over(limits.apiPerSecond, api.count(now))) return 'Throttling.Api';
    if (over(limits.userPerSecond, user.count(now))) return 'Throttling.User';
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
