import path from 'node:path';

/**
 * Where the catalog lives. With DATABASE_URL set it is that PostgreSQL server; without it, the
 * embedded default: PGlite (PostgreSQL compiled to WASM) in a directory under the data dir, so a
 * first run needs no database server at all.
 */
export type DatabaseConfig =
  | { type: 'postgres'; url: string }
  | { type: 'pglite'; dataDir: string };

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('DATABASE_URL must be a postgresql:// URL (unset it to use the embedded PGlite database)');
    }
    return { type: 'postgres', url };
  }
  const dataDir = env.APIVAULT_DATA_DIR?.trim() || './data';
  return { type: 'pglite', dataDir: env.APIVAULT_PGLITE_DIR?.trim() || path.join(dataDir, 'db') };
}

/** For logs and health answers: the target without the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.type === 'pglite') return `pglite ${config.dataDir}`;
  try {
    const url = new URL(config.url);
    if (url.password) url.password = '***';
    return `postgres ${url.toString()}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}
