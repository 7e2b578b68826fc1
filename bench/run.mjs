#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after the other. Not a CI test.
// Pass-through options (e.g. `npm run bench -- --items 10000`) go to each benchmark.
import { spawnSync } from 'node:child_process';

const benches = ['search-bench.mjs', 'api-load.mjs'];
let failed = false;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [new URL(bench, import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
