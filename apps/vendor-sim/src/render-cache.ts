/**
 * Keeps the expensive part of a rendered export (serialized and compressed documents) until the
 * vendor's estate changes, so that benchmarks measure apivault and not the emulator. It never
 * holds the export time: the route stamps `now()` on the cached parts at every call (zip headers
 * are cheap to write), so two exports of an unchanged estate still differ in bytes, not content.
 *
 * `version` is the vendor state's edit counter, bumped on every change of its estate: an entry
 * rendered at another version is stale. The least recently used entries go first when full.
 */
/**
 * For routes that render one export per part of the estate (an APIG group and environment, a ROMA
 * app): enough entries for every part of a 100,000-API estate (scale 710: 6,390 APIG exports,
 * 2,131 ROMA apps) and several times that. A smaller cache is swept through by each full backup
 * and never hits, so every backup would render every export again.
 */
export const PER_PART_CACHE_ENTRIES = 50_000;

export class RenderCache<Value> {
  private readonly entries = new Map<string, { version: number; value: Value }>();
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly maxEntries = 64) {}

  get(key: string, version: number, render: () => Value): Value {
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.version === version) {
      this.hitCount++;
      this.entries.set(key, cached);
      return cached.value;
    }
    this.missCount++;
    const value = render();
    this.entries.set(key, { version, value });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  /** For tests and benchmarks: how often the cache spared a render. */
  stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.entries.size };
  }
}
