import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { ArchiveConfig } from '#archive';
import type { Database, DatabaseConfig } from '#catalog';
import type { AppSettings } from '../../apps/apivault/src/config/app-settings.js';
import { createHttpApp } from '../../apps/apivault/src/core/bootstrap.js';
import { DATABASE } from '../../apps/apivault/src/core/tokens.js';
import { createLogger } from '../../apps/apivault/src/logging/logger.js';

/** A running apivault (real HTTP on a random port) over a given database and archive. */
export interface TestApp {
  app: INestApplication;
  url: string;
  db: Database;
  dataDir: string;
  /** Every log line the app wrote, as JSON text, for tests that grep logs. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTestApp(options: { database: DatabaseConfig; archive?: ArchiveConfig; maxRemovedShare?: number }): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-test-'));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const settings: AppSettings = {
    production: false,
    dataDir,
    tmpDir: path.join(dataDir, 'tmp'),
    http: { host: '127.0.0.1', port: 0 },
    database: options.database,
    archive: options.archive ?? { type: 'filesystem', root: path.join(dataDir, 'archive') },
    logLevel: 'debug',
    guard: { maxRemovedShare: options.maxRemovedShare ?? 0.5 },
  };
  const app = await createHttpApp({ settings, logger, shutdownHooks: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    db: app.get<Database>(DATABASE),
    dataDir,
    logs,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function getJson<T = any>(url: string): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

export async function postJson<T = any>(url: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}
