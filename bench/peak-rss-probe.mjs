// Preloaded into a measured process (`node --import ./bench/peak-rss-probe.mjs ...`): when the
// process exits, writes its peak resident set size (getrusage's ru_maxrss, the figure
// `/usr/bin/time -v` prints as "Maximum resident set size") to the file BENCH_PEAK_RSS_FILE names.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
