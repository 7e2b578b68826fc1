#!/usr/bin/env node
// Search latency at N catalog items (default 100,000) on PostgreSQL: a fixed query mix through
// apivault's search (Prisma, CatalogSearchRepository) beside the very same SQL sent through a
// bare `pg` client, measured in the same run. Needs a build (`npm run build`, done by `npm ci`).
//
//   node bench/search-bench.mjs [--items 100000] [--repeat 30] [--url postgresql://...]
//
// The database is a fresh one created next to --url (default DATABASE_URL or the local test
// server) and dropped afterwards. Results: printed, and written to bench/results/search.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { catalogSearchSql, CatalogSearchRepository, openDatabase } from '#catalog';
import { seedCatalog } from './catalog-seed.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const ITEMS = Number(args.items ?? 100_000);
const REPEAT = Number(args.repeat ?? 30);
const BASE_URL = args.url ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const dbName = `apivault_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(BASE_URL);
url.pathname = `/${dbName}`;

const db = await openDatabase({ type: 'postgres', url: url.toString() });
const bare = new pg.Client({ connectionString: url.toString() });
try {
  await db.migrate();
  await bare.connect();
  const seedStarted = performance.now();
  await seedCatalog(bare, ITEMS);
  const seedMs = performance.now() - seedStarted;

  const repository = new CatalogSearchRepository(db.prisma);
  const deepName = (await bare.query('SELECT name, id FROM catalog_items ORDER BY name, id OFFSET $1 LIMIT 1', [Math.floor(ITEMS / 2)])).rows[0];
  const mix = [
    { name: 'text "order"', query: { text: 'order' } },
    { name: 'text "order cancel"', query: { text: 'order cancel' } },
    { name: 'text, no match', query: { text: 'zzqx-nomatch' } },
    { name: 'vendor + method', query: { vendor: 'alibaba', method: 'POST' } },
    { name: 'tag + status', query: { tag: 'finance', status: 'published' } },
    { name: 'text + auth type', query: { text: 'user', authType: 'iam' } },
    { name: 'deep page (cursor)', query: { cursor: { key: deepName.name, id: deepName.id } } },
    { name: 'as of now, text', query: { text: 'payment', asOf: new Date() } },
  ].map((q) => ({ ...q, query: { sort: 'name', limit: 50, ...q.query } }));

  const results = [];
  for (const { name, query } of mix) {
    const sql = catalogSearchSql(query);
    for (let i = 0; i < 3; i++) {
      await repository.search(query);
      await bare.query(sql.text, sql.values);
    }
    const viaApivault = [];
    const viaBareSql = [];
    let rows = 0;
    for (let i = 0; i < REPEAT; i++) {
      let t = performance.now();
      rows = (await repository.search(query)).length;
      viaApivault.push(performance.now() - t);
      t = performance.now();
      await bare.query(sql.text, sql.values);
      viaBareSql.push(performance.now() - t);
    }
    results.push({ query: name, rows, apivault: stats(viaApivault), bareSql: stats(viaBareSql) });
  }

  const report = {
    bench: 'search',
    items: ITEMS,
    repeat: REPEAT,
    seedMs: Math.round(seedMs),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    database: (await bare.query('SHOW server_version')).rows[0].server_version,
    measuredAt: new Date().toISOString(),
    results: results.map((r) => ({ ...r, ratioMedian: round(r.apivault.median / r.bareSql.median), ratioP99: round(r.apivault.p99 / r.bareSql.p99) })),
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/search.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`search at ${ITEMS} items on PostgreSQL ${report.database} (${report.machine.cpus} cores, ${report.machine.cpuModel}); seeded in ${report.seedMs} ms; ${REPEAT} runs each`);
  console.log('query                    rows   apivault median/p99 ms   bare SQL median/p99 ms   ratio median');
  for (const r of report.results) {
    console.log(
      `${r.query.padEnd(24)} ${String(r.rows).padStart(4)}   ${fmt(r.apivault.median)} / ${fmt(r.apivault.p99)}`.padEnd(57) +
        `${fmt(r.bareSql.median)} / ${fmt(r.bareSql.p99)}`.padEnd(25) +
        `${r.ratioMedian}x`,
    );
  }
} finally {
  await bare.end().catch(() => undefined);
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: round(at(0.5)), p99: round(at(0.99)) };
}

function round(x) {
  return Math.round(x * 100) / 100;
}

function fmt(ms) {
  return ms.toFixed(2).padStart(7);
}
