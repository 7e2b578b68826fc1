/**
 * Picks ceil(percent% of n) distinct indices (at least one when n > 0), in ascending order,
 * from a seeded PRNG (mulberry32): the same seed picks the same objects, so a reported sample
 * can be re-checked exactly.
 */
export function sampleIndices(n: number, percent: number, seed: number): number[] {
  if (percent >= 100) return Array.from({ length: n }, (_, i) => i);
  const count = n === 0 ? 0 : Math.max(1, Math.ceil((n * percent) / 100));
  const random = mulberry32(seed);
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices.slice(0, count).sort((a, b) => a - b);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** All of `values`, or the seeded sample of them (see sampleIndices). */
export function seededSample<T>(values: readonly T[], percent: number, seed: number | null): T[] {
  if (seed === null || percent >= 100) return [...values];
  return sampleIndices(values.length, percent, seed).map((i) => values[i]!);
}
