#!/usr/bin/env node
// The CLI entry point (package.json "bin"). The TypeScript is compiled by `npm ci` (prepare).
import { existsSync } from 'node:fs';

const main = new URL('../dist/apps/apivault/src/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('apivault is not built yet: run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
await import(main.href);
