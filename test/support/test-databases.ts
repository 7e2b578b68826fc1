import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseConfig } from '#catalog';

/**
 * The databases every integration suite runs against: embedded PGlite always, and the real
 * PostgreSQL server named by DATABASE_URL (CI and our machines: 127.0.0.1:5432/test). Each suite
 * gets a fresh, migrated database of its own, dropped afterwards.
 */
export interface TestDatabaseTarget {
  name: 'pglite' | 'postgres';
  create(): Promise<{ db: Database; config: DatabaseConfig; drop(): Promise<void> }>;
}

const postgresUrl = process.env.APIVAULT_TEST_DATABASE_URL ?? process.env.DATABASE_URL;

if (!postgresUrl) {
  // Said loudly once: a suite that silently skipped PostgreSQL would prove less than it claims.
  console.warn('DATABASE_URL is not set: integration suites run on PGlite only (CI sets it).');
}

export const pgliteTarget: TestDatabaseTarget = {
  name: 'pglite',
  async create() {
    const config: DatabaseConfig = { type: 'pglite', dataDir: 'memory://' };
    const db = await openDatabase(config);
    await db.migrate();
    return { db, config, drop: () => db.close() };
  },
};

export const postgresTarget: TestDatabaseTarget = {
  name: 'postgres',
  async create() {
    if (!postgresUrl) throw new Error('postgres target needs DATABASE_URL');
    const dbName = `apivault_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(postgresUrl);
    url.pathname = `/${dbName}`;
    const config: DatabaseConfig = { type: 'postgres', url: url.toString() };
    const db = await openDatabase(config);
    await db.migrate();
    return {
      db,
      config,
      drop: async () => {
        await db.close();
        const cleanup = new pg.Client({ connectionString: postgresUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  },
};

export const testDatabaseTargets: TestDatabaseTarget[] = postgresUrl ? [pgliteTarget, postgresTarget] : [pgliteTarget];
