#!/usr/bin/env node
/**
 * How much of a backup's time the emulator takes: the DLF export at a given scale, rendered by
 * vendor-sim (cold: after an estate edit, so nothing is cached; warm: unchanged estate, cached
 * entries stamped with the export time), against apivault backing up that same export (a first
 * run that catalogs everything, then a run that finds nothing changed).
 *
 *   npm run build && node bench/vendor-sim-render.mjs [--scale 100] [--repeat 5]
 *
 * Prints one JSON object; docs/vendor-sim.md records a run. Runs on the embedded defaults
 * (PGlite and a filesystem archive in a temporary directory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signHuaweiRequest } from '#cloud-auth';
import { startVendorSim } from '#vendor-sim';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '100' }, repeat: { type: 'string', default: '5' } } });
const scale = Number(values.scale);
const repeat = Number(values.repeat);

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const round = (ms) => Math.round(ms * 10) / 10;

async function timedExport(sim) {
  const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/export`;
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: signHuaweiRequest({ method: 'POST', url, headers: {}, body: '' }, sim.credentials) });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`export answered ${response.status}`);
  return { ms: performance.now() - started, bytes: body.length };
}

/** An edit that changes nothing visible but bumps the estate version, so the next export renders afresh. */
function invalidate(sim) {
  const [first] = sim.dlf.list();
  sim.dlf.upsert(first);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-bench-'));
process.env.APIVAULT_DATA_DIR = dataDir;
process.env.LOG_LEVEL = 'warn';
delete process.env.DATABASE_URL;

const sim = await startVendorSim({ seed: 42, scale });
const { appSettingsFromEnv } = await import('../dist/apps/apivault/src/config/app-settings.js');
const { createHttpApp } = await import('../dist/apps/apivault/src/core/bootstrap.js');
const { createLogger } = await import('../dist/apps/apivault/src/logging/logger.js');
const { CredentialsService } = await import('../dist/apps/apivault/src/credentials/credentials.service.js');
const { SourcesService } = await import('../dist/apps/apivault/src/sources/sources.service.js');
const { BackupService } = await import('../dist/apps/apivault/src/runs/backup.service.js');

const settings = appSettingsFromEnv();
const app = await createHttpApp({ settings, logger: createLogger({ level: 'warn', fd: 2 }), shutdownHooks: false });
await app.init();
try {
  const cold = [];
  const warm = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    invalidate(sim);
    const rendered = await timedExport(sim);
    cold.push(rendered.ms);
    bytes = rendered.bytes;
    warm.push((await timedExport(sim)).ms);
  }

  await app.get(CredentialsService).upsert('bench', { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey });
  await app.get(SourcesService).upsert({ name: 'bench-dlf', kind: 'huawei.dataarts.dlf.connections', config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credentialName: 'bench' });
  const backups = app.get(BackupService);
  const timedRun = async () => {
    const started = performance.now();
    const run = await backups.runToCompletion('bench-dlf', 'bench');
    if (run.status !== 'succeeded') throw new Error(`backup run ${run.status}: ${JSON.stringify(run.error)}`);
    return performance.now() - started;
  };
  const firstRun = await timedRun();
  const unchangedRuns = [];
  for (let i = 0; i < repeat; i++) unchangedRuns.push(await timedRun());

  const warmMs = median(warm);
  const unchangedMs = median(unchangedRuns);
  process.stdout.write(
    `${JSON.stringify(
      {
        scale,
        connections: sim.estate().vendors.dlf.connections,
        exportedConnections: sim.dlf.list().length,
        zipBytes: bytes,
        simExportMs: { coldMedian: round(median(cold)), warmMedian: round(warmMs) },
        apivaultRunMs: { first: round(firstRun), unchangedMedian: round(unchangedMs) },
        warmExportPercentOfUnchangedRun: round((warmMs / unchangedMs) * 100),
        coldExportPercentOfUnchangedRun: round((median(cold) / unchangedMs) * 100),
        node: process.version,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await app.close();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
}
