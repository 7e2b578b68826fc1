import type { ApivaultConfig } from './config-file-schema.js';

/** apivault.yaml `storage:` keys and the variables they stand for. */
export const STORAGE_VARIABLES = {
  type: 'APIVAULT_ARCHIVE',
  dir: 'APIVAULT_ARCHIVE_DIR',
  bucket: 'APIVAULT_S3_BUCKET',
  region: 'APIVAULT_S3_REGION',
  endpoint: 'APIVAULT_S3_ENDPOINT',
  prefix: 'APIVAULT_S3_PREFIX',
  forcePathStyle: 'APIVAULT_S3_FORCE_PATH_STYLE',
  checksumMode: 'APIVAULT_S3_CHECKSUM_MODE',
  conditionalWrites: 'APIVAULT_S3_CONDITIONAL_WRITES',
  accessKeyId: 'APIVAULT_S3_ACCESS_KEY_ID',
  secretAccessKey: 'APIVAULT_S3_SECRET_ACCESS_KEY',
  sessionToken: 'APIVAULT_S3_SESSION_TOKEN',
  objectLockMode: 'APIVAULT_S3_OBJECT_LOCK_MODE',
  objectLockDays: 'APIVAULT_S3_OBJECT_LOCK_DAYS',
} as const;

/** apivault.yaml `retention.snapshots:` keys and the variables they stand for. */
export const RETENTION_VARIABLES = {
  keepLast: 'APIVAULT_SNAPSHOT_KEEP_LAST',
  keepHourly: 'APIVAULT_SNAPSHOT_KEEP_HOURLY',
  keepDaily: 'APIVAULT_SNAPSHOT_KEEP_DAILY',
  keepWeekly: 'APIVAULT_SNAPSHOT_KEEP_WEEKLY',
  keepMonthly: 'APIVAULT_SNAPSHOT_KEEP_MONTHLY',
  keepYearly: 'APIVAULT_SNAPSHOT_KEEP_YEARLY',
  minAgeHours: 'APIVAULT_SNAPSHOT_MIN_AGE_HOURS',
} as const;

/**
 * The file's `storage` and `retention` sections as the environment variables they stand for:
 * one set of validation and one code path whichever way a setting is given. A `storage`
 * section replaces every storage variable (the file describes the whole archive); retention
 * keys override their variables one by one.
 */
export function configEnvironmentOverlay(config: ApivaultConfig): Record<string, string> {
  const overlay: Record<string, string> = {};
  if (config.storage) {
    for (const variable of Object.values(STORAGE_VARIABLES)) overlay[variable] = '';
    for (const [key, value] of Object.entries(config.storage)) {
      if (value !== undefined) overlay[STORAGE_VARIABLES[key as keyof typeof STORAGE_VARIABLES]] = String(value);
    }
  }
  for (const [key, value] of Object.entries(config.retention?.snapshots ?? {})) {
    if (value !== undefined) overlay[RETENTION_VARIABLES[key as keyof typeof RETENTION_VARIABLES]] = String(value);
  }
  return overlay;
}

/** Which storage key of the file a variable stands for (to point archive errors at the file). */
export function storageKeyOf(variable: string): string | undefined {
  return Object.entries(STORAGE_VARIABLES).find(([, name]) => name === variable)?.[0];
}
