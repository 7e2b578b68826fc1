import type { S3BackendOptions, S3ChecksumMode } from './backends/s3-backend.js';
import { ArchiveConfigError } from './errors.js';

export type ArchiveConfig = { type: 'filesystem'; root: string } | ({ type: 's3' } & S3BackendOptions);

export const DEFAULT_ARCHIVE_DIR = './data/archive';
export const DEFAULT_S3_REGION = 'us-east-1';

type Environment = Record<string, string | undefined>;

/**
 * Archive configuration from APIVAULT_* variables. With nothing set, the archive lives on the
 * local filesystem in ./data/archive. Empty values count as unset (compose files often declare
 * variables without values). Errors name the offending variable and never echo secrets.
 */
export function archiveConfigFromEnv(env: Environment = process.env): ArchiveConfig {
  const type = oneOf(env, 'APIVAULT_ARCHIVE', ['filesystem', 's3'] as const) ?? 'filesystem';
  if (type === 'filesystem') {
    return { type, root: valueOf(env, 'APIVAULT_ARCHIVE_DIR') ?? DEFAULT_ARCHIVE_DIR };
  }
  const bucket = valueOf(env, 'APIVAULT_S3_BUCKET');
  if (bucket === undefined) throw new ArchiveConfigError('APIVAULT_S3_BUCKET', 'is required when APIVAULT_ARCHIVE=s3');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ArchiveConfigError('APIVAULT_S3_BUCKET', `is not a valid bucket name: ${JSON.stringify(bucket)}`);
  }
  const config: ArchiveConfig = {
    type,
    bucket,
    region: valueOf(env, 'APIVAULT_S3_REGION') ?? DEFAULT_S3_REGION,
    endpoint: endpointOf(env),
    prefix: prefixOf(env),
    forcePathStyle: booleanOf(env, 'APIVAULT_S3_FORCE_PATH_STYLE'),
    checksumMode: oneOf(env, 'APIVAULT_S3_CHECKSUM_MODE', ['when-required', 'when-supported'] as const satisfies readonly S3ChecksumMode[]),
    conditionalWrites: booleanOf(env, 'APIVAULT_S3_CONDITIONAL_WRITES'),
    credentials: credentialsOf(env),
    objectLock: objectLockOf(env),
  };
  return dropUndefined(config);
}

/** Retention for sealed snapshot objects: both variables or neither. */
function objectLockOf(env: Environment): S3BackendOptions['objectLock'] {
  const mode = oneOf(env, 'APIVAULT_S3_OBJECT_LOCK_MODE', ['compliance', 'governance'] as const);
  const daysText = valueOf(env, 'APIVAULT_S3_OBJECT_LOCK_DAYS');
  if (mode === undefined && daysText === undefined) return undefined;
  if (mode === undefined) throw new ArchiveConfigError('APIVAULT_S3_OBJECT_LOCK_MODE', 'is required when APIVAULT_S3_OBJECT_LOCK_DAYS is set (COMPLIANCE or GOVERNANCE)');
  if (daysText === undefined) throw new ArchiveConfigError('APIVAULT_S3_OBJECT_LOCK_DAYS', 'is required when APIVAULT_S3_OBJECT_LOCK_MODE is set');
  const days = Number(daysText);
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new ArchiveConfigError('APIVAULT_S3_OBJECT_LOCK_DAYS', `must be a whole number of days between 1 and 36500; got ${JSON.stringify(daysText)}`);
  }
  return { mode: mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE', days };
}

function valueOf(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[]): T | undefined {
  const value = valueOf(env, name);
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) {
    throw new ArchiveConfigError(name, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return match;
}

function booleanOf(env: Environment, name: string): boolean | undefined {
  const value = oneOf(env, name, ['true', 'false', '1', '0'] as const);
  return value === undefined ? undefined : value === 'true' || value === '1';
}

function endpointOf(env: Environment): string | undefined {
  const endpoint = valueOf(env, 'APIVAULT_S3_ENDPOINT');
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ArchiveConfigError('APIVAULT_S3_ENDPOINT', 'is not a URL (expected e.g. http://minio:9000)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ArchiveConfigError('APIVAULT_S3_ENDPOINT', `must be an http or https URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ArchiveConfigError(
      'APIVAULT_S3_ENDPOINT',
      'must not contain credentials; use APIVAULT_S3_ACCESS_KEY_ID and APIVAULT_S3_SECRET_ACCESS_KEY',
    );
  }
  return endpoint;
}

function prefixOf(env: Environment): string | undefined {
  const prefix = valueOf(env, 'APIVAULT_S3_PREFIX')?.replace(/^\/+|\/+$/g, '');
  if (prefix === undefined || prefix === '') return undefined;
  const segments = prefix.split('/');
  if (prefix.includes('\\') || segments.some((segment) => segment === '' || segment.startsWith('.'))) {
    throw new ArchiveConfigError(
      'APIVAULT_S3_PREFIX',
      'must be /-separated names without empty segments, backslashes or segments starting with "."',
    );
  }
  return prefix;
}

function credentialsOf(env: Environment): S3BackendOptions['credentials'] {
  const accessKeyId = valueOf(env, 'APIVAULT_S3_ACCESS_KEY_ID');
  const secretAccessKey = valueOf(env, 'APIVAULT_S3_SECRET_ACCESS_KEY');
  const sessionToken = valueOf(env, 'APIVAULT_S3_SESSION_TOKEN');
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (sessionToken !== undefined) {
      throw new ArchiveConfigError('APIVAULT_S3_SESSION_TOKEN', 'is set without APIVAULT_S3_ACCESS_KEY_ID');
    }
    return undefined; // the SDK's default chain: environment, profile, instance or task role
  }
  if (accessKeyId === undefined) {
    throw new ArchiveConfigError('APIVAULT_S3_ACCESS_KEY_ID', 'is required when APIVAULT_S3_SECRET_ACCESS_KEY is set');
  }
  if (secretAccessKey === undefined) {
    throw new ArchiveConfigError('APIVAULT_S3_SECRET_ACCESS_KEY', 'is required when APIVAULT_S3_ACCESS_KEY_ID is set');
  }
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
