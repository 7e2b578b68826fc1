/**
 * The most the process's resident memory grew above its level at the start while `work` ran,
 * sampled every few milliseconds (and once more at the end, in case a long synchronous step
 * kept the sampler from running). The app under test and vendor-sim share this process, so
 * what either holds counts.
 */
export async function withRssGrowth<T>(work: () => Promise<T>, everyMs = 5): Promise<{ result: T; growthBytes: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    sample();
    return { result, growthBytes: peak - start };
  } finally {
    clearInterval(timer);
  }
}

export const MiB = 1024 * 1024;
