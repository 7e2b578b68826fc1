/**
 * The signature nonces seen recently, per AccessKey: a nonce may be used once while its request
 * could still pass the timestamp check. After that window the timestamp check refuses a replay
 * anyway, so the entry can go.
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();

  constructor(
    /** How long after its signing time a nonce is remembered (the allowed clock skew). */
    private readonly windowMs: number,
    /** A bound on memory: past it the oldest entries go first. */
    private readonly maxEntries = 1_000_000,
  ) {}

  /** Records the nonce; false when it was seen already (within the window). */
  use(accessKeyId: string, nonce: string, signedAt: Date, now = Date.now()): boolean {
    this.evictExpired(now);
    const key = `${accessKeyId}\u0000${nonce}`;
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.delete(key);
    this.expiries.set(key, Math.max(now, signedAt.getTime()) + this.windowMs);
    while (this.expiries.size > this.maxEntries) this.expiries.delete(this.expiries.keys().next().value!);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Entries are in insertion order, which is nearly expiry order: stop at the first live one. */
  private evictExpired(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
