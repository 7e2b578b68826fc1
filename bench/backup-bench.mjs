#!/usr/bin/env node
/**
 * `npm run bench`: the backup benchmark (docs/performance.md). vendor-sim seeds an estate of
 * about 100,000 APIs (scale 710: APIG groups x 2 environments, ROMA apps, DataService workbooks of
 * 200 in 2 workspaces x 2 editions, DataWorks pages of 100, DLF connections), and apivault backs it
 * all up with `apivault backup` in its own process, on a fresh PostgreSQL database and a
 * filesystem archive in a temporary directory. Measured in one run:
 *   (a) the first, full backup   (b) a second one, nothing changed   (c) one after 1% of the
 *   APIs changed   (d) the baseline: the same export calls, raw bytes copied to the same store,
 *   nothing parsed (bench/backup-baseline.mjs, a cron + curl + upload script)   (e) the catalog
 *   write of (a) beside a bare bulk insert of the same rows (bench/catalog-write-bench.mjs).
 * For each pass: wall time, APIs/s, peak RSS of the process, rows and bytes written; ratios to (d).
 *
 *   node bench/backup-bench.mjs [--scale 710] [--share 0.01] [--url postgresql://...] [--profile DIR] [--out FILE]
 *
 * Every export is rendered once by vendor-sim before the passes that read it (each export fetched
 * and dropped, after seeding and again after the edit), so every measured pass sees a warm
 * simulator. --profile writes a CPU profile of each measured process (bench/cpu-profile-top.mjs).
 * Results: printed, and written to bench/results.json (full scale) or bench/results.scale-N.json.
 * Needs a build (`npm ci` does it). Not a CI test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '#catalog';
import { simControl, simPlan, startSim } from './bench-sim.mjs';
import { compareCatalogWrite, round2 } from './catalog-write-bench.mjs';

const FULL_SCALE = 710;
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: String(FULL_SCALE) },
    share: { type: 'string', default: '0.01' },
    url: { type: 'string', default: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' },
    profile: { type: 'string' },
    out: { type: 'string' },
  },
});
const scale = Number(values.scale);
const share = Number(values.share);
if (!(scale > 0) || !(share > 0 && share <= 1)) throw new Error('--scale must be above 0 and --share in (0, 1]');

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const APIVAULT = here('../dist/apps/apivault/src/main.js');
const BASELINE = here('./backup-baseline.mjs');
const PEAK_RSS_PROBE = here('./peak-rss-probe.mjs');
const out = values.out ?? here(scale === FULL_SCALE ? './results.json' : `./results.scale-${scale}.json`);
const profileDir = values.profile ? path.resolve(values.profile) : null;

const work = mkdtempSync(path.join(os.tmpdir(), 'apivault-backup-bench-'));
const dbName = `apivault_bench_${randomBytes(4).toString('hex')}`;
const dbUrl = new URL(values.url);
dbUrl.pathname = `/${dbName}`;
const env = {
  ...process.env,
  DATABASE_URL: dbUrl.toString(),
  APIVAULT_DATA_DIR: path.join(work, 'apivault'),
  APIVAULT_MASTER_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
};
const log = (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Runs node with args; resolves with exit code, output, wall time and (when probed) peak RSS. */
function runNode(args, { input, label, measure = false } = {}) {
  const rssFile = path.join(work, `rss-${label ?? 'x'}-${Date.now()}.json`);
  const nodeArgs = measure ? ['--import', PEAK_RSS_PROBE, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`] : [])] : [];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...env, BENCH_PEAK_RSS_FILE: measure ? rssFile : '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`node ${args.slice(0, 2).join(' ')} exited ${code ?? signal}\n${stderr.slice(-4000)}\n${stdout.slice(-2000)}`));
      resolve({ ms, stdout, stderr, peakRssBytes: measure ? JSON.parse(readFileSync(rssFile, 'utf8')).maxRssBytes : null });
    });
    child.stdin.end(input ?? '');
  });
}

/** Bytes of every file under a directory (0 when it does not exist). */
function treeBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(full) : statSync(full).size;
  }
  return total;
}

/** Rows in every table of the database, and its size on disk. */
async function databaseState(client) {
  const { rows: tables } = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const rows = {};
  for (const { tablename } of tables) rows[tablename] = Number((await client.query(`SELECT count(*) AS n FROM "${tablename}"`)).rows[0].n);
  const bytes = Number((await client.query('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes);
  return { rows, bytes };
}

function rowsWritten(before, after) {
  const byTable = {};
  for (const [table, n] of Object.entries(after.rows)) if (n !== (before.rows[table] ?? 0)) byTable[table] = n - (before.rows[table] ?? 0);
  return { total: Object.values(byTable).reduce((sum, n) => sum + n, 0), byTable };
}

/** One `apivault backup` of every source, in its own process. */
async function backupPass(label, db) {
  const before = await databaseState(db);
  const archiveBefore = treeBytes(path.join(env.APIVAULT_DATA_DIR, 'archive'));
  log(`${label}: apivault backup`);
  const result = await runNode([APIVAULT, 'backup', '--json'], { label, measure: true });
  const runs = JSON.parse(result.stdout);
  const failed = runs.filter((r) => r.run.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`${label}: ${failed.map((r) => `${r.source} ${r.run.status}: ${JSON.stringify(r.run.error)}`).join('; ')}`);
  const after = await databaseState(db);
  const stat = (key) => runs.reduce((sum, r) => sum + (r.run.stats?.[key] ?? 0), 0);
  return {
    wallMs: Math.round(result.ms),
    peakRssBytes: result.peakRssBytes,
    items: stat('itemsParsed'),
    added: stat('added'),
    modified: stat('modified'),
    removed: stat('removed'),
    unchanged: stat('unchanged'),
    versionsWritten: stat('versionsWritten'),
    artifacts: stat('artifacts'),
    exportBytes: stat('bytes'),
    rowsWritten: rowsWritten(before, after),
    databaseBytesGrown: after.bytes - before.bytes,
    archiveBytesWritten: treeBytes(path.join(env.APIVAULT_DATA_DIR, 'archive')) - archiveBefore,
    // Without the per-scope coverage: thousands of scopes per source would make the file megabytes.
    runs: runs.map((r) => ({ source: r.source, runId: r.run.id, sourceId: r.run.sourceId, status: r.run.status, stats: withoutCoverage(r.run.stats) })),
  };
}

/** Every export fetched once and dropped, so that vendor-sim has rendered it before a measured pass. */
async function warmUp(label, planFile) {
  const result = await runNode([BASELINE, '--plan', planFile, '--archive', work, '--discard'], { label });
  log(`${label}: vendor-sim rendered every export once (${seconds(result.ms)})`);
}

/** The cron + curl + upload script, in its own process, into a fresh archive. */
async function baselinePass(label, planFile) {
  const archive = mkdtempSync(path.join(work, `baseline-${label}-`));
  log(`${label}: baseline (same export calls, raw bytes archived, nothing parsed)`);
  const result = await runNode([BASELINE, '--plan', planFile, '--archive', archive], { label, measure: true });
  const totals = JSON.parse(result.stdout);
  const archiveBytesWritten = treeBytes(archive);
  rmSync(archive, { recursive: true, force: true });
  if (totals.failedParts > 0) throw new Error(`${label}: ${totals.failedParts} part(s) of the estate failed`);
  return { wallMs: Math.round(result.ms), peakRssBytes: result.peakRssBytes, artifacts: totals.artifacts, exportBytes: totals.bytes, rowsWritten: { total: 0, byTable: {} }, databaseBytesGrown: 0, archiveBytesWritten };
}

function machine(serverVersion) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    postgres: serverVersion,
  };
}

const mb = (bytes) => (bytes === null ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MB`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function printTable(result) {
  const { passes, apis } = result;
  const lines = [
    `backup benchmark: ${apis.toLocaleString('en')} APIs (+${result.estate.vendors.dlf.connections.toLocaleString('en')} DLF connections), scale ${result.scale}, ${result.machine.cpus} x ${result.machine.cpuModel}, Node ${result.machine.node}, PostgreSQL ${result.machine.postgres}`,
    '',
    '| pass | wall | APIs/s | peak RSS | rows written | DB bytes grown | archive bytes | vs baseline |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const rows = [
    ['(a) full first backup', passes.full, result.ratios.full],
    ['(b) unchanged rerun', passes.unchanged, result.ratios.unchanged],
    [`(c) ${result.share * 100}% of APIs changed`, passes.changed, result.ratios.changed],
    ['(d) baseline: export + archive only', passes.baseline, 1],
  ];
  for (const [name, pass, ratio] of rows) {
    lines.push(`| ${name} | ${seconds(pass.wallMs)} | ${Math.round(apis / (pass.wallMs / 1000)).toLocaleString('en')} | ${mb(pass.peakRssBytes)} | ${pass.rowsWritten.total.toLocaleString('en')} | ${mb(pass.databaseBytesGrown)} | ${mb(pass.archiveBytesWritten)} | ${ratio.toFixed(2)}x |`);
  }
  const w = result.catalogWrite;
  lines.push('', `(e) catalog write of (a): ${w.versions.toLocaleString('en')} versions, ${w.rows.toLocaleString('en')} rows: apivault ${seconds(w.writerMs)}, bare INSERT ... SELECT unnest ${seconds(w.bareMs)}: ${w.ratio.toFixed(2)}x`);
  lines.push('', 'targets:');
  for (const t of result.targets) lines.push(`  ${t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.measured} (target ${t.target})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

const loadAtStart = os.loadavg().map(round2);
const admin = new pg.Client({ connectionString: values.url });
await admin.connect();
const serverVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
await admin.query(`CREATE DATABASE ${dbName}`);
let sim;
let client;
try {
  const db = await openDatabase({ type: 'postgres', url: dbUrl.toString() });
  await db.migrate();
  await db.close();
  client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();

  log(`vendor-sim --scale ${scale}`);
  sim = await startSim(scale);
  const estate = sim.info.estate;
  log(`vendor-sim listening after ${seconds(sim.startMs)}: ${estate.apis} APIs`);
  const plan = await simPlan(sim);
  const planFile = path.join(work, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan), { mode: 0o600 });

  // One `apivault config apply` registers every credential and source (JSON is YAML).
  const configFile = path.join(work, 'apivault.yaml');
  writeFileSync(configFile, JSON.stringify({ version: 1, credentials: plan.credentials, sources: plan.sources }), { mode: 0o600 });
  await runNode([APIVAULT, 'config', 'apply', '--config', configFile]);

  await warmUp('warm-up', planFile);
  const full = await backupPass('full', client);
  const unchanged = await backupPass('unchanged', client);
  const mutation = await simControl(sim, 'POST', '/estate/mutate', { share, seed: 1 });
  log(`vendor-side edit: ${mutation.total} items changed ${JSON.stringify(mutation.changed)}`);
  await warmUp('re-warm', planFile);
  const changed = await backupPass('changed', client);
  const baseline = await baselinePass('baseline', planFile);

  log('catalog write vs bare bulk insert');
  const catalogWrite = await compareCatalogWrite({ admin, baseUrl: values.url, from: client, runs: full.runs, prefix: dbName });

  const ratio = (pass) => round2(pass.wallMs / baseline.wallMs);
  const ratios = { full: ratio(full), unchanged: ratio(unchanged), changed: ratio(changed) };
  const peakRss = Math.max(full.peakRssBytes, unchanged.peakRssBytes, changed.peakRssBytes);
  const result = {
    bench: 'backup',
    measuredAt: new Date().toISOString(),
    machine: machine(serverVersion),
    // Other work on the machine slows every pass alike; the 1/5/15-minute load averages say how much there was.
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map(round2) },
    scale,
    share,
    apis: estate.apis,
    estate,
    simStartMs: Math.round(sim.startMs),
    mutation,
    passes: { full, unchanged, changed, baseline },
    ratios,
    catalogWrite,
    targets: [
      { name: 'full backup vs baseline', target: 'at most 3x', measured: `${ratios.full.toFixed(2)}x`, met: ratios.full <= 3 },
      { name: 'unchanged rerun vs baseline', target: 'at most 1.5x', measured: `${ratios.unchanged.toFixed(2)}x`, met: ratios.unchanged <= 1.5 },
      { name: 'catalog write vs bare bulk insert', target: 'at most 2x', measured: `${catalogWrite.ratio.toFixed(2)}x`, met: catalogWrite.ratio <= 2 },
      { name: 'peak RSS of apivault backup', target: 'under 300 MB', measured: mb(peakRss), met: peakRss < 300 * 2 ** 20 },
    ],
  };
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  log(`results written to ${path.relative(process.cwd(), out)}${profileDir ? `; CPU profiles in ${profileDir}` : ''}`);
} finally {
  await client?.end();
  sim?.child.kill('SIGTERM');
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(work, { recursive: true, force: true });
}

function withoutCoverage(stats) {
  if (!stats || typeof stats !== 'object') return stats;
  const { coverage, ...rest } = stats;
  return { ...rest, scopes: Array.isArray(coverage) ? coverage.length : undefined };
}
