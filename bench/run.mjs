#!/usr/bin/env node
// `npm run bench:all`: every benchmark in this folder, one after the other, with its defaults:
// the backup benchmark (`npm run bench`), then search and API load. Not a CI test. For options,
// run a benchmark on its own (e.g. `npm run bench -- --scale 10`, `node bench/api-load.mjs --items 10000`).
import { spawnSync } from 'node:child_process';

const benches = ['backup-bench.mjs', 'search-bench.mjs', 'api-load.mjs'];
let failed = false;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [new URL(bench, import.meta.url).pathname], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
