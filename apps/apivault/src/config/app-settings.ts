import path from 'node:path';
import { archiveConfigFromEnv, type ArchiveConfig } from '#archive';
import { databaseConfigFromEnv, type DatabaseConfig } from '#catalog';
import { DEFAULT_FAILED_AUTH_LIMITS, type FailedAuthLimits } from '../auth/failed-auth-limiter.js';
import { runEngineSettingsFromEnv, type RunEngineSettings } from '../runs/run-engine-settings.js';
import { snapshotSettingsFromEnv, type SnapshotSettings } from '../snapshots/snapshot-settings.js';

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
  /** Leases, retries, limits and shutdown of backup runs (defaults: DEFAULT_RUN_ENGINE_SETTINGS). */
  runs?: RunEngineSettings;
  /** Snapshot schedules and default retention; absent = no schedules, kopia-like defaults. */
  snapshots?: SnapshotSettings;
  /** Raw archive objects encrypted at rest under the master key (default), or not. */
  archiveEncryption?: 'aes-256-gcm' | 'none';
  /** Failed authentications allowed per client address and window (default 10 a minute). */
  auth?: FailedAuthLimits;
  /** Express "trust proxy": which proxies' X-Forwarded-For names the client (default: none). */
  trustProxy?: boolean | number | string;
  /** `apivault keys rotate --old-key-file`: the key the secrets were sealed with. */
  oldMasterKeyFile?: string;
}

function parseArchiveEncryption(value: string | undefined): 'aes-256-gcm' | 'none' {
  const choice = value?.trim().toLowerCase() || 'aes-256-gcm';
  if (choice !== 'aes-256-gcm' && choice !== 'none') throw new Error(`APIVAULT_ARCHIVE_ENCRYPTION must be aes-256-gcm or none, got "${value}"`);
  return choice;
}

function parseShare(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new Error(`APIVAULT_GUARD_MAX_REMOVED_SHARE must be a number between 0 and 1, got "${value}"`);
  return share;
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return number;
}

/** "true"/"false", a hop count, or Express's address list ("loopback, 10.0.0.0/8"). */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim();
  if (!text || text === 'false') return false;
  if (text === 'true') return true;
  return /^\d+$/.test(text) ? Number(text) : text;
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
    runs: runEngineSettingsFromEnv(env),
    snapshots: snapshotSettingsFromEnv(env),
    archiveEncryption: parseArchiveEncryption(env.APIVAULT_ARCHIVE_ENCRYPTION),
    auth: {
      maxFailures: parsePositiveInteger('APIVAULT_AUTH_MAX_FAILURES', env.APIVAULT_AUTH_MAX_FAILURES, DEFAULT_FAILED_AUTH_LIMITS.maxFailures),
      windowMs: 1000 * parsePositiveInteger('APIVAULT_AUTH_FAILURE_WINDOW_SECONDS', env.APIVAULT_AUTH_FAILURE_WINDOW_SECONDS, DEFAULT_FAILED_AUTH_LIMITS.windowMs / 1000),
    },
    trustProxy: parseTrustProxy(env.APIVAULT_TRUST_PROXY),
  };
}
