#!/usr/bin/env node
/**
 * What holding a run's parsed entries costs in memory, and what spilling them to disk
 * (SpilledEntries, libs/catalog/src/run-writer/spilled-entries.ts) saves: one source of a
 * vendor-sim estate is fetched, archived to a spool directory, parsed and written to a fresh
 * PostgreSQL catalog the way the run engine does it, once with every entry in a Map (what the
 * engine does today) and once spilled, each in its own process; peak RSS and time of each.
 *
 *   node bench/entries-memory.mjs [--scale 710] [--source dataworks] [--url postgresql://...] [--heap-mb 200]
 *
 * `--heap-mb` caps V8's old space in the measured processes (--max-old-space-size): without a cap,
 * V8 lets garbage pile up on a large machine, and peak RSS says little about what a pass keeps.
 * Default: the DataWorks source at scale 710 (35,500 APIs, the largest source of the benchmark
 * estate). Prints one JSON object and writes it to bench/results/entries-memory[.heap-N].json. Needs a build.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { SecretRedactor } from '#catalog-model';
import { createArchiveStore } from '#archive';
import { CatalogRunWriter, COMPLETE_RUN, itemKey, openDatabase } from '#catalog';
import { defaultConnectorRegistry } from '#connectors';
import { SpilledEntries } from '../dist/libs/catalog/src/run-writer/spilled-entries.js';
import { simPlan, startSim } from './bench-sim.mjs';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '710' },
    source: { type: 'string', default: 'dataworks' },
    url: { type: 'string', default: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' },
    'heap-mb': { type: 'string' },
    // Internal: one measured pass, in a child process.
    pass: { type: 'string' },
    plan: { type: 'string' },
    db: { type: 'string' },
    tmp: { type: 'string' },
  },
});

/** One pass: fetch, archive, parse into a Map or a spill file, write the catalog. */
async function pass(mode) {
  const { credentials, sources } = JSON.parse(readFileSync(values.plan, 'utf8'));
  const source = sources.find((s) => s.name === values.source);
  const connector = defaultConnectorRegistry().get(source.kind);
  const config = connector.validateConfig(source.config);
  const ctx = {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    credential: credentials[source.credential],
    redactor: new SecretRedactor(randomBytes(32)),
    progress: () => undefined,
    expect: () => undefined,
    partFailed: (scope, error) => {
      throw error;
    },
  };
  const db = await openDatabase({ type: 'postgres', url: values.db });
  const started = performance.now();
  const src = await db.prisma.source.create({ data: { name: source.name, kind: source.kind, config: {} } });
  const run = await db.prisma.run.create({ data: { sourceId: src.id, slot: 'bench', trigger: 'bench' } });
  const store = createArchiveStore({ type: 'filesystem', root: path.join(values.tmp, 'archive') });
  const archived = [];
  for await (const raw of connector.fetch(config, ctx)) {
    const file = await store.spool(raw.body, values.tmp);
    const stored = await store.putFile(file);
    await db.prisma.artifact.createMany({ data: [{ sha256: stored.sha256, size: stored.size, storageKey: stored.key }], skipDuplicates: true });
    archived.push({ name: raw.name, call: raw.call, sha256: stored.sha256, size: stored.size, localPath: file.path, scope: raw.scope, meta: raw.meta });
  }
  const entries = mode === 'map' ? new Map() : SpilledEntries.create(values.tmp);
  try {
    for (const artifact of archived) {
      if (mode === 'map') {
        // The engine today: one artifact's entries in an array, then into the run's Map.
        const fromArtifact = [];
        for await (const entry of connector.parse(artifact, config, ctx)) fromArtifact.push(entry);
        for (const entry of fromArtifact) entries.set(itemKey(entry.kind, entry.externalId), entry);
      } else {
        const batch = entries.batch();
        for await (const entry of connector.parse(artifact, config, ctx)) batch.add(entry);
        batch.commit();
      }
    }
    const result = await new CatalogRunWriter(db.prisma).apply({ runId: run.id, sourceId: src.id, entries, incomplete: COMPLETE_RUN, guard: null });
    return { mode, entries: entries.size, versionsWritten: result.versionsWritten, ms: Math.round(performance.now() - started), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    if (mode !== 'map') entries.dispose();
    await db.close();
  }
}

if (values.pass) {
  process.stdout.write(`${JSON.stringify(await pass(values.pass))}\n`);
} else {
  const work = mkdtempSync(path.join(os.tmpdir(), 'entries-memory-'));
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  const sim = await startSim(Number(values.scale));
  const results = [];
  try {
    const planFile = path.join(work, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await simPlan(sim)), { mode: 0o600 });
    for (const mode of ['map', 'spilled']) {
      const name = `apivault_entries_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(values.url);
      url.pathname = `/${name}`;
      const tmp = mkdtempSync(path.join(work, `${mode}-`));
      try {
        const db = await openDatabase({ type: 'postgres', url: url.toString() });
        await db.migrate();
        await db.close();
        const args = [fileURLToPath(import.meta.url), '--pass', mode, '--plan', planFile, '--db', url.toString(), '--tmp', tmp, '--source', values.source];
        const heap = values['heap-mb'] ? [`--max-old-space-size=${values['heap-mb']}`] : [];
        const child = spawnSync(process.execPath, [...heap, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
        // Out of memory under the cap is a result too: that mode needs more heap than the cap.
        const outOfMemory = /heap out of memory/.test(child.stderr);
        if (child.status !== 0 && !outOfMemory) throw new Error(`${mode} pass failed:\n${child.stderr}`);
        results.push(outOfMemory ? { mode, outOfMemory: true } : JSON.parse(child.stdout));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    }
  } finally {
    sim.child.kill('SIGTERM');
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  }
  const heapMb = values['heap-mb'] ? Number(values['heap-mb']) : null;
  const report = `${JSON.stringify({ bench: 'entries-memory', scale: Number(values.scale), source: values.source, heapMb, node: process.version, measuredAt: new Date().toISOString(), results }, null, 2)}\n`;
  writeFileSync(fileURLToPath(new URL(`./results/entries-memory${heapMb ? `.heap-${heapMb}` : ''}.json`, import.meta.url)), report);
  process.stdout.write(report);
}
