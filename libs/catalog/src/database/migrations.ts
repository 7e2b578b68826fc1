import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One committed migration: prisma/migrations/<name>/migration.sql. */
export interface Migration {
  name: string;
  sql: string;
  /** What Prisma records in _prisma_migrations.checksum: hex SHA-256 of the file's bytes. */
  checksum: string;
}

/**
 * The few SQL operations the migrator needs, so the same code drives PostgreSQL (a pg client
 * inside a transaction) and PGlite (one embedded connection).
 */
export interface MigrationConnection {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script; the caller wraps it in a transaction. */
  exec(sql: string): Promise<void>;
}

/** Prisma's own bookkeeping table, created exactly as `prisma migrate deploy` creates it. */
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Finds prisma/migrations from the source tree or the compiled one (dist/...), or the env. */
export function findMigrationsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.APIVAULT_MIGRATIONS_DIR) return path.resolve(env.APIVAULT_MIGRATIONS_DIR);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find prisma/migrations: set APIVAULT_MIGRATIONS_DIR');
    dir = parent;
  }
}

export function loadMigrations(dir: string = findMigrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies every committed migration not yet recorded, each in its own transaction, and records
 * it in _prisma_migrations the way Prisma does, so `prisma migrate status` agrees. A recorded
 * migration whose file changed since is an error: silently diverging schemas are worse.
 * The caller serializes concurrent migrators (advisory lock on PostgreSQL).
 */
export async function applyMigrations(conn: MigrationConnection, migrations: Migration[]): Promise<MigrationResult> {
  await conn.exec(PRISMA_MIGRATIONS_TABLE);
  const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const recorded = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
  const result: MigrationResult = { applied: [], alreadyApplied: [] };

  for (const migration of migrations) {
    const row = recorded.get(migration.name);
    if (row) {
      if (row.finished_at === null) {
        throw new Error(`Migration ${migration.name} started earlier but never finished: inspect the database before retrying`);
      }
      if (row.checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was modified after it was applied (checksum mismatch)`);
      }
      result.alreadyApplied.push(migration.name);
      continue;
    }
    const id = randomUUID();
    await conn.exec('BEGIN');
    try {
      await conn.exec(migration.sql);
      await conn.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [id, migration.checksum, migration.name],
      );
      await conn.exec('COMMIT');
    } catch (error) {
      await conn.exec('ROLLBACK');
      throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
    result.applied.push(migration.name);
  }
  return result;
}
