import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createArchiveStore, EnvelopeObjectCipher } from '#archive';
import { loadMasterKey } from '../../apps/apivault/src/secrets/master-key.js';
import { runCliWithEnv } from './run-cli.js';
import { startReplica, type ReplicaProcess } from './replica-process.js';
import { postgresTarget } from './test-databases.js';

/**
 * N `apivault serve` processes sharing one PostgreSQL database and one archive directory (as
 * replicas share a database and a bucket), with short leases so takeovers happen in seconds.
 * Set-up commands run through the CLI against the same database, as an operator would.
 */
export interface ReplicaCluster {
  env: Record<string, string>;
  dataDir: string;
  adminToken: string;
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  cli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  start(name: string, extraEnv?: Record<string, string>): Promise<ReplicaProcess>;
  /** Every catalog version's artifact is in the archive and re-hashes to its name. */
  archiveProblems(): Promise<string[]>;
  close(): Promise<void>;
}

export const CLUSTER_LEASE_SECONDS = 2;

export async function createReplicaCluster(extraEnv: Record<string, string> = {}): Promise<ReplicaCluster> {
  const database = await postgresTarget.create();
  if (database.config.type !== 'postgres') throw new Error('replicas need PostgreSQL');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-replicas-'));
  const env: Record<string, string> = {
    DATABASE_URL: database.config.url,
    APIVAULT_DATA_DIR: dataDir,
    APIVAULT_MASTER_KEY: randomBytes(32).toString('base64'),
    APIVAULT_RUN_LEASE_SECONDS: String(CLUSTER_LEASE_SECONDS),
    APIVAULT_RUN_POLL_SECONDS: '0.3',
    APIVAULT_SCHEDULE_SYNC_SECONDS: '1',
    APIVAULT_MISSED_SLOTS: 'skip',
    APIVAULT_RUN_MAX_ATTEMPTS: '3',
    ...extraEnv,
  };
  const client = new pg.Client({ connectionString: database.config.url });
  await client.connect();
  const replicas: ReplicaProcess[] = [];

  const cli = (...args: string[]) => runCliWithEnv({ ...env, LOG_LEVEL: 'warn' }, ...args);

  await cli('migrate');
  const token = await cli('token', 'create', '--role', 'admin', '--name', 'test-admin');
  if (token.exitCode !== 0) throw new Error(`token create failed: ${token.stderr}`);
  const adminToken = (JSON.parse(token.stdout) as { token: string }).token;

  return {
    env,
    dataDir,
    adminToken,
    sql: async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[],
    cli,
    start: async (name, extra = {}) => {
      const replica = await startReplica(name, { ...env, ...extra });
      replicas.push(replica);
      return replica;
    },
    archiveProblems: async () => {
      const masterKey = loadMasterKey({ env: { APIVAULT_MASTER_KEY: env.APIVAULT_MASTER_KEY }, dataDir, production: false });
      const store = createArchiveStore({ type: 'filesystem', root: path.join(dataDir, 'archive') }, { cipher: new EnvelopeObjectCipher(masterKey) });
      const problems: string[] = [];
      try {
        const rows = (await client.query<{ sha256: string }>('SELECT DISTINCT artifact_sha256 AS sha256 FROM catalog_versions')).rows;
        for (const { sha256 } of rows) {
          const report = await store.verify(sha256).catch((error: unknown) => ({ ok: false, problem: (error as Error).message, actualSha256: null }));
          if (!report.ok) problems.push(`${sha256}: ${report.problem ?? `bytes hash to ${report.actualSha256}`}`);
        }
      } finally {
        await store.close();
      }
      return problems;
    },
    close: async () => {
      for (const replica of replicas) replica.signal('SIGKILL');
      await Promise.all(replicas.map((r) => r.exited));
      await client.end();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a credential's JSON to a file the CLI reads (`credentials set --from-file`). */
export function credentialFile(dir: string, secret: object): string {
  const file = path.join(dir, `credential-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(secret), { mode: 0o600 });
  return file;
}
