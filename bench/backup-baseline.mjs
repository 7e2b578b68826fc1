#!/usr/bin/env node
/**
 * The baseline of the backup benchmark: what a cron + curl + upload script does. The very same
 * signed export calls as apivault (each connector's own fetch stage: the same HTTP client, signers,
 * rate limits and list calls that tell which exports to ask for), the raw bytes copied to the same
 * content-addressed ArchiveStore, and nothing else: no export is parsed, no catalog, no database.
 *
 *   node bench/backup-baseline.mjs --plan plan.json --archive DIR [--discard]
 *
 * `plan.json` is what bench/backup-sources.mjs makes ({credentials, sources}). Prints one JSON line:
 * artifacts, bytes, new objects, failed parts. Run by bench/backup-bench.mjs in its own process.
 * `--discard` reads every body and keeps nothing: the bench's warm-up, which only has to make
 * vendor-sim render each export once.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createArchiveStore } from '#archive';
import { defaultConnectorRegistry } from '#connectors';

const { values } = parseArgs({ options: { plan: { type: 'string' }, archive: { type: 'string' }, discard: { type: 'boolean', default: false } } });
if (!values.plan || !values.archive) {
  console.error('usage: node bench/backup-baseline.mjs --plan plan.json --archive DIR');
  process.exit(2);
}
const { credentials, sources } = JSON.parse(readFileSync(values.plan, 'utf8'));
const store = createArchiveStore({ type: 'filesystem', root: values.archive });
const spoolDir = path.join(values.archive, '..', `baseline-spool-${process.pid}`);
mkdirSync(spoolDir, { recursive: true });
const registry = defaultConnectorRegistry();
const totals = { sources: 0, artifacts: 0, bytes: 0, newObjects: 0, failedParts: 0 };

try {
  for (const source of sources) {
    const connector = registry.get(source.kind);
    const config = connector.validateConfig(source.config);
    const ctx = {
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      // The secret as `apivault credentials set` takes it is the connectors' credential object.
      credential: credentials[source.credential],
      // Fetch never redacts (only parse does): a script has nothing to hide from itself.
      redactor: null,
      progress: () => undefined,
      expect: () => undefined,
      partFailed: () => totals.failedParts++,
    };
    for await (const raw of connector.fetch(config, ctx)) {
      if (values.discard) {
        for await (const chunk of raw.body) totals.bytes += chunk.length;
        totals.artifacts++;
        continue;
      }
      const file = await store.spool(raw.body, spoolDir);
      try {
        const stored = await store.putFile(file);
        totals.artifacts++;
        totals.bytes += stored.size;
        if (stored.created) totals.newObjects++;
      } finally {
        await file.dispose();
      }
    }
    totals.sources++;
  }
} finally {
  rmSync(spoolDir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(totals)}\n`);
