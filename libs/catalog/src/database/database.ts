import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { DatabaseConfig } from './database-config.js';
import { PgliteDirectoryLock } from './pglite-lock.js';
import { applyMigrations, loadMigrations, type MigrationConnection, type MigrationResult } from './migrations.js';

/** Prisma's advisory lock key for migrations: replicas starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 72707369;

/** An open catalog database: the Prisma client plus what it runs on. */
export interface Database {
  readonly prisma: PrismaClient;
  readonly type: DatabaseConfig['type'];
  migrate(): Promise<MigrationResult>;
  /** Round-trip check for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.type === 'postgres' ? openPostgres(config.url) : openPglite(config.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  let lock: PgliteDirectoryLock | null = null;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    lock = PgliteDirectoryLock.acquire(dataDir);
  }
  // pg_trgm backs free-text search, as on PostgreSQL (the migration creates the extension).
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } }).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const conn: MigrationConnection = {
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
  };
  return {
    prisma,
    type: 'pglite',
    migrate: () => applyMigrations(conn, loadMigrations()),
    ping: async () => {
      await pglite.query('SELECT 1');
    },
    close: async () => {
      await prisma.$disconnect();
      // An unclosed PGlite keeps Node alive and can leave its data dir inconsistent.
      await pglite.close();
      lock?.release();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    type: 'postgres',
    migrate: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        const conn: MigrationConnection = {
          query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
          exec: async (sql) => {
            await client.query(sql);
          },
        };
        return await applyMigrations(conn, loadMigrations());
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await client.end();
      }
    },
    ping: async () => {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
