#!/usr/bin/env node
// Load check of the admin API (not a timed test): throughput and p99 latency of
// `GET /api/v1/health` and of a catalog search at N catalog items (default 100,000), measured
// with autocannon in the same run, against `apivault serve` in its own process on PostgreSQL.
// Needs a build (`npm run build`, done by `npm ci`).
//
//   node bench/api-load.mjs [--items 100000] [--duration 10] [--connections 10] [--url postgresql://...]
//
// The database is a fresh one created next to --url (default DATABASE_URL or the local test
// server) and dropped afterwards. Results: printed, and written to bench/results/api-load.json.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '#catalog';
import { seedCatalog } from './catalog-seed.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const ITEMS = Number(args.items ?? 100_000);
const DURATION = Number(args.duration ?? 10);
const CONNECTIONS = Number(args.connections ?? 10);
const BASE_URL = args.url ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const SEARCH = '/api/v1/catalog/search?q=order&limit=50';
const main = fileURLToPath(new URL('../dist/apps/apivault/src/main.js', import.meta.url));

const dbName = `apivault_load_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(BASE_URL);
url.pathname = `/${dbName}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-load-'));
const env = {
  ...process.env,
  DATABASE_URL: url.toString(),
  APIVAULT_DATA_DIR: dataDir,
  APIVAULT_MASTER_KEY: randomBytes(32).toString('base64'),
  HOST: '127.0.0.1',
  PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
};
let server;
try {
  const db = await openDatabase({ type: 'postgres', url: url.toString() });
  await db.migrate();
  await db.close();
  const seeder = new pg.Client({ connectionString: url.toString() });
  await seeder.connect();
  const seedStarted = performance.now();
  await seedCatalog(seeder, ITEMS);
  const seedMs = performance.now() - seedStarted;
  await seeder.end();

  // A viewer token, the way an operator makes one: through the CLI.
  const created = spawnSync(process.execPath, [main, 'token', 'create', '--role', 'viewer', '--name', 'load-check'], { env, encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const token = JSON.parse(created.stdout).token;

  server = spawn(process.execPath, [main, 'serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${env.PORT}`;
  await waitForHealth(base);

  const health = await load('GET /api/v1/health', `${base}/api/v1/health`, {});
  const search = await load(`GET ${SEARCH}`, `${base}${SEARCH}`, { authorization: `Bearer ${token}` });
  const report = {
    bench: 'api-load',
    items: ITEMS,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    seedMs: Math.round(seedMs),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    database: (await admin.query('SHOW server_version')).rows[0].server_version,
    measuredAt: new Date().toISOString(),
    results: [health, search],
    ratio: { throughput: round(health.requestsPerSecond / search.requestsPerSecond), p99: round(search.p99Ms / health.p99Ms) },
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/api-load.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`admin API load at ${ITEMS} catalog items on PostgreSQL ${report.database} (${report.machine.cpus} cores, ${report.machine.cpuModel}); ${CONNECTIONS} connections, ${DURATION} s each`);
  console.log('route                                             req/s      p50 ms   p99 ms   non-2xx');
  for (const r of report.results) {
    console.log(`${r.route.padEnd(48)} ${String(r.requestsPerSecond).padStart(8)} ${String(r.p50Ms).padStart(9)} ${String(r.p99Ms).padStart(8)} ${String(r.non2xx).padStart(9)}`);
  }
  console.log(`health serves ${report.ratio.throughput}x the requests per second of the search; the search's p99 is ${report.ratio.p99}x health's`);
} finally {
  server?.kill('SIGTERM');
  if (server) await new Promise((resolve) => server.once('exit', resolve));
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dataDir, { recursive: true, force: true });
}

async function load(route, target, headers) {
  // A short warm-up, then the measured window.
  await autocannon({ url: target, connections: CONNECTIONS, duration: 2, headers });
  const result = await autocannon({ url: target, connections: CONNECTIONS, duration: DURATION, headers });
  if (result.errors > 0 || result.non2xx > 0) console.warn(`${route}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return {
    route,
    requestsPerSecond: round(result.requests.average),
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function waitForHealth(base) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('apivault serve did not become healthy');
}

function round(x) {
  return Math.round(x * 100) / 100;
}
