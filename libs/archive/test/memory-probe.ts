import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Heap plus Buffer memory: a body held in memory shows up in one or the other. */
function footprint(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Jest is not started with --expose-gc; a context created after setting the flag gets `gc`. */
function exposeGarbageCollector(): GarbageCollector {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot expose the garbage collector');
  return gc as GarbageCollector;
}

type GarbageCollector = (options?: { type: 'major' | 'minor' }) => void;

export interface MemoryGrowth {
  /** Largest live footprint seen while `work` ran, minus the footprint before. */
  peakLiveBytes: number;
  /** Footprint after `work` and a full collection, minus the footprint before. */
  retainedBytes: number;
  samples: number;
}

/**
 * Samples the live footprint while `work` runs, each sample after a young-generation
 * collection. Without it, streaming garbage (dead chunk Buffers) piles up to V8's
 * external-memory GC trigger, tens of MiB, and hides whether a body is actually held; a full
 * collection per sample would be exact but takes far too long in a jest process.
 */
export async function measureMemoryGrowth(work: () => Promise<void>, intervalMs = 10): Promise<MemoryGrowth> {
  const gc = exposeGarbageCollector();
  gc({ type: 'major' });
  const before = footprint();
  let peak = before;
  let samples = 0;
  const sample = () => {
    gc({ type: 'minor' });
    peak = Math.max(peak, footprint());
    samples += 1;
  };
  const sampler = setInterval(sample, intervalMs);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  sample();
  gc({ type: 'major' });
  return { peakLiveBytes: peak - before, retainedBytes: footprint() - before, samples };
}
