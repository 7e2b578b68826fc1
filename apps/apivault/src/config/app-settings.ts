import path from 'node:path';
import { archiveConfigFromEnv, type ArchiveConfig } from '#archive';
import { databaseConfigFromEnv, type DatabaseConfig } from '#catalog';

/** Everything the daemon and the CLI read from the environment, parsed once at start. */
export interface AppSettings {
  production: boolean;
  dataDir: string;
  /** Spool directory for raw exports while they are hashed, archived and parsed. */
  tmpDir: string;
  http: { host: string; port: number };
  database: DatabaseConfig;
  archive: ArchiveConfig;
  logLevel: string;
  /** A run that would remove more than this share of a source's items (or all) is held. */
  guard: { maxRemovedShare: number };
}

function parseShare(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new Error(`APIVAULT_GUARD_MAX_REMOVED_SHARE must be a number between 0 and 1, got "${value}"`);
  return share;
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer between 0 and 65535, got "${value}"`);
  return port;
}

export function appSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const dataDir = path.resolve(env.APIVAULT_DATA_DIR?.trim() || './data');
  return {
    production: env.NODE_ENV === 'production',
    dataDir,
    tmpDir: path.resolve(env.APIVAULT_TMP_DIR?.trim() || path.join(dataDir, 'tmp')),
    // Loopback by default: the admin API holds cloud credentials; exposing it is a choice.
    http: { host: env.HOST?.trim() || '127.0.0.1', port: parsePort(env.PORT, 8080) },
    database: databaseConfigFromEnv({ ...env, APIVAULT_DATA_DIR: dataDir }),
    archive: archiveConfigFromEnv({ ...env, APIVAULT_ARCHIVE_DIR: env.APIVAULT_ARCHIVE_DIR?.trim() || path.join(dataDir, 'archive') }),
    logLevel: env.LOG_LEVEL ?? 'info',
    guard: { maxRemovedShare: parseShare(env.APIVAULT_GUARD_MAX_REMOVED_SHARE, 0.5) },
  };
}
