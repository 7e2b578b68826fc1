import { startVendorSim } from '#vendor-sim';
import { appSettingsFromEnv } from '../config/app-settings.js';
import { createHttpApp } from '../core/bootstrap.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { createLogger } from '../logging/logger.js';
import { BackupService } from '../runs/backup.service.js';
import { RunsService } from '../runs/runs.service.js';
import { SourcesService } from '../sources/sources.service.js';
import { TokensService } from '../auth/tokens.service.js';
import { printTable } from '../cli/output.js';
import { demoSources } from './demo-sources.js';

export interface DemoOptions {
  serve: boolean;
  seed: number;
}

/**
 * The main job on the embedded defaults: vendor-sim and apivault in one process tree, every
 * demo source backed up once, a summary printed. With --serve both stay up for exploration.
 */
export async function runDemo({ serve, seed }: DemoOptions): Promise<void> {
  const settings = appSettingsFromEnv();
  const logger = createLogger({ level: settings.logLevel, fd: 2 });
  // With --serve, the sim's /_sim/ control API is on, so vendor-side edits can be made while exploring.
  const sim = await startVendorSim({ port: 0, seed, admin: serve });
  logger.info({ vendorSim: sim.baseUrl }, 'vendor-sim started');
  const app = await createHttpApp({ settings, logger, shutdownHooks: false });
  await app.init();
  let keepRunning = false;
  try {
    const credentials = app.get(CredentialsService);
    const sources = app.get(SourcesService);
    const backups = app.get(BackupService);
    const runs = app.get(RunsService);
    const catalog = app.get(CatalogService);

    const rows = [];
    const archiveKeys = new Set<string>();
    for (const demo of demoSources(sim)) {
      await credentials.upsert(demo.credentialName, demo.credential);
      const source = await sources.upsert(demo.source);
      const run = await backups.runToCompletion(source.id, 'demo');
      const detail = await runs.get(run.id);
      for (const artifact of detail.artifacts) archiveKeys.add(artifact.storageKey);
      const items = await catalog.listItems({ sourceId: source.id, limit: 500 });
      const stats = run.stats as Record<string, number>;
      rows.push({
        source: source.name,
        status: run.status,
        items: items.items.length,
        added: stats.added,
        modified: stats.modified,
        removed: stats.removed,
        unchanged: stats.unchanged,
        error: (run.error as { message?: string } | null)?.message,
      });
    }

    process.stdout.write(`\napivault demo: data in ${settings.dataDir}, archive ${settings.archive.type}\n\n`);
    printTable(rows, ['source', 'status', 'items', 'added', 'modified', 'removed', 'unchanged', 'error']);
    process.stdout.write(`\narchive keys:\n${[...archiveKeys].map((k) => `  ${k}`).join('\n')}\n`);
    if (rows.some((r) => r.status !== 'succeeded')) process.exitCode = 1;

    if (serve) {
      await app.listen(settings.http.port, settings.http.host);
      // The API needs a token: the demo makes one for this session, as `apivault token create` would.
      const { token } = await app.get(TokensService).create({ role: 'admin', createdBy: 'demo' });
      process.stdout.write(`\nadmin API: ${await app.getUrl()}/api/v1/sources   vendor-sim: ${sim.baseUrl} (control API: ${sim.baseUrl}/_sim/estate)   (Ctrl-C stops both)\n`);
      process.stdout.write(`admin token (shown once): ${token}\n  curl -H 'Authorization: Bearer ${token}' ${await app.getUrl()}/api/v1/sources   API docs: ${await app.getUrl()}/docs\n`);
      keepRunning = true;
      const stop = async (): Promise<void> => {
        await app.close();
        await sim.close();
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    }
  } finally {
    if (!keepRunning) {
      await app.close();
      await sim.close();
    }
  }
}
