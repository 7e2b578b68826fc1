import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { ArchiveConfig } from '#archive';
import type { Database, DatabaseConfig } from '#catalog';
import type { AppSettings } from '../../apps/apivault/src/config/app-settings.js';
import { createHttpApp } from '../../apps/apivault/src/core/bootstrap.js';
import { DEFAULT_RUN_ENGINE_SETTINGS } from '../../apps/apivault/src/runs/run-engine-settings.js';
import { DATABASE } from '../../apps/apivault/src/core/tokens.js';
import { createLogger } from '../../apps/apivault/src/logging/logger.js';
import { TokensService } from '../../apps/apivault/src/auth/tokens.service.js';
import type { Role } from '../../apps/apivault/src/auth/roles.js';

/** A running apivault (real HTTP on a random port) over a given database and archive. */
export interface TestApp {
  app: INestApplication;
  url: string;
  db: Database;
  dataDir: string;
  /** Every log line the app wrote, as JSON text, for tests that grep logs. */
  logs: string[];
  /** An admin token, sent by getJson/postJson/requestJson to this app unless told otherwise. */
  adminToken: string;
  /** A new token of that role (its secret). */
  createToken(role: Role, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Per app origin, the token the JSON helpers send by default. */
const defaultTokens = new Map<string, string>();

export interface RequestOptions {
  /** The bearer token to send; null sends none. Default: the admin token of the app at that URL. */
  token?: string | null;
  headers?: Record<string, string>;
}

export async function startTestApp(options: {
  database: DatabaseConfig;
  archive?: ArchiveConfig;
  maxRemovedShare?: number;
  settings?: Partial<AppSettings>;
  adminTokenName?: string;
}): Promise<TestApp> {
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
    // One attempt: a suite asserting a failure sees it at once, not after retry backoffs.
    runs: { ...DEFAULT_RUN_ENGINE_SETTINGS, maxAttempts: 1, pollMs: 200 },
    ...options.settings,
  };
  const app = await createHttpApp({ settings, logger, shutdownHooks: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = app.get(TokensService);
  const createToken = async (role: Role, name?: string) => (await tokens.create({ role, name, createdBy: 'test' })).token;
  // Apps sharing one database (restarts, replicas) need their own name: token names are unique.
  const adminToken = await createToken('admin', options.adminTokenName ?? 'test-admin');
  defaultTokens.set(new URL(url).origin, adminToken);
  return {
    app,
    url,
    db: app.get<Database>(DATABASE),
    dataDir,
    logs,
    adminToken,
    createToken,
    close: async () => {
      defaultTokens.delete(new URL(url).origin);
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headers for a request to `url`: the chosen token, else the app's admin token. */
export function authHeaders(url: string, options: RequestOptions = {}): Record<string, string> {
  const token = options.token === undefined ? defaultTokens.get(new URL(url).origin) : options.token;
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function getJson<T = any>(url: string, options?: RequestOptions): Promise<JsonAnswer<T>> {
  return requestJson<T>('GET', url, undefined, options);
}

export async function postJson<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<JsonAnswer<T>> {
  return requestJson<T>('POST', url, body, options);
}

/** Any method; the body is sent as JSON. A non-JSON answer leaves `body` undefined. */
export async function requestJson<T = any>(method: string, url: string, body?: unknown, options?: RequestOptions): Promise<JsonAnswer<T>> {
  const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...authHeaders(url, options) };
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: T;
  try {
    parsed = JSON.parse(text) as T;
  } catch {
    parsed = undefined as T;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** Starts a backup of a source over the REST API and polls until the run ends; returns the run. */
export async function backupViaApi(t: TestApp, sourceId: string, timeoutMs = 60_000): Promise<any> {
  const started = await postJson(`${t.url}/api/v1/sources/${sourceId}/runs`);
  expect(started.status).toBe(202);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = await getJson(`${t.url}/api/v1/runs/${started.body.id}`);
    if (run.body.status !== 'running' && run.body.status !== 'queued') return run.body;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error(`run ${started.body.id} did not finish within ${timeoutMs} ms`);
}

/** Row counts of the catalog tables: a failed run must leave every one of them as it was. */
export async function catalogRowCounts(db: Database) {
  return {
    items: await db.prisma.catalogItem.count(),
    removed: await db.prisma.catalogItem.count({ where: { removedAt: { not: null } } }),
    versions: await db.prisma.catalogVersion.count(),
    changes: await db.prisma.changeEvent.count(),
  };
}

/** Every row of the given tables as JSON text, for tests that search the database for a secret. */
export async function tablesAsText(db: Database, tables: string[]): Promise<string> {
  let dump = '';
  for (const table of tables) {
    const rows = await db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
    dump += rows.map((r) => r.row).join('\n');
  }
  return dump;
}
