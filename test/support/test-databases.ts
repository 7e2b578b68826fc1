import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseConfig } from '#catalog';

/**
 * The databases every integration suite runs against: embedded PGlite always, and the real
 * PostgreSQL server named by DATABASE_URL (CI and our machines: 127.0.0.1:5432/test). Each
 * suite gets a fresh database of its own, dropped afterwards.
 */
export interface TestDatabaseTarget {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database: the service under test migrates it itself. */
  create(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

const postgresUrl = process.env.APIVAULT_TEST_DATABASE_URL ?? process.env.DATABASE_URL;

if (!postgresUrl) {
  // Said loudly: a suite that silently skipped PostgreSQL would prove less than it claims.
  console.warn('DATABASE_URL is not set: integration suites run on PGlite only (.ci/run sets it).');
}

export const pgliteTarget: TestDatabaseTarget = {
  name: 'pglite',
  async create() {
    return { config: { type: 'pglite', dataDir: 'memory://' }, drop: async () => undefined };
  },
};

export const postgresTarget: TestDatabaseTarget = {
  name: 'postgres',
  async create() {
    if (!postgresUrl) throw new Error('the postgres target needs DATABASE_URL');
    const dbName = `apivault_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${dbName}`;
    return { config: { type: 'postgres', url: url.toString() }, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) };
  },
};

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export const testDatabaseTargets: TestDatabaseTarget[] = postgresUrl ? [pgliteTarget, postgresTarget] : [pgliteTarget];

/** Opens and migrates a fresh database of the target, for suites below the app level. */
export async function openMigratedTestDatabase(target: TestDatabaseTarget): Promise<{ db: Database; config: DatabaseConfig; drop(): Promise<void> }> {
  const { config, drop } = await target.create();
  const db = await openDatabase(config);
  await db.migrate();
  return {
    db,
    config,
    drop: async () => {
      await db.close();
      await drop();
    },
  };
}
