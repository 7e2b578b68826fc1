import { validateCronExpression } from 'cron';
import { checkTimeZone } from '../schedules/schedule-slots.js';
import { DEFAULT_RETENTION_POLICY, RETENTION_FIELDS, type RetentionPolicy } from './retention-policy.js';

/** Snapshot schedules and the default retention policy, from APIVAULT_* variables. */
export interface SnapshotSettings {
  /** Cron expression for a snapshot of the whole catalog; null = no schedule. */
  snapshotCron: string | null;
  /** Cron expression for verifying the newest snapshot of every scope; null = none. */
  verifyCron: string | null;
  /** IANA time zone of both cron expressions (default UTC). */
  timeZone?: string;
  /** Share of objects and items a scheduled verification checks, 1..100. */
  verifySamplePercent: number;
  /** Applies to every scope without a policy of its own. */
  retention: RetentionPolicy;
}

export const DEFAULT_SNAPSHOT_SETTINGS: SnapshotSettings = {
  snapshotCron: null,
  verifyCron: null,
  verifySamplePercent: 100,
  retention: DEFAULT_RETENTION_POLICY,
};

const RETENTION_VARIABLES: Record<keyof RetentionPolicy, string> = {
  keepLast: 'APIVAULT_SNAPSHOT_KEEP_LAST',
  keepHourly: 'APIVAULT_SNAPSHOT_KEEP_HOURLY',
  keepDaily: 'APIVAULT_SNAPSHOT_KEEP_DAILY',
  keepWeekly: 'APIVAULT_SNAPSHOT_KEEP_WEEKLY',
  keepMonthly: 'APIVAULT_SNAPSHOT_KEEP_MONTHLY',
  keepYearly: 'APIVAULT_SNAPSHOT_KEEP_YEARLY',
  minAgeHours: 'APIVAULT_SNAPSHOT_MIN_AGE_HOURS',
};

export function snapshotSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SnapshotSettings {
  const retention = { ...DEFAULT_RETENTION_POLICY };
  for (const field of RETENTION_FIELDS) {
    const value = integerOf(env, RETENTION_VARIABLES[field], 0, 1_000_000);
    if (value !== undefined) retention[field] = value;
  }
  return {
    snapshotCron: cronOf(env, 'APIVAULT_SNAPSHOT_CRON'),
    verifyCron: cronOf(env, 'APIVAULT_VERIFY_CRON'),
    timeZone: timeZoneOf(env, 'APIVAULT_SNAPSHOT_TIMEZONE'),
    verifySamplePercent: integerOf(env, 'APIVAULT_VERIFY_SAMPLE_PERCENT', 1, 100) ?? 100,
    retention,
  };
}

function timeZoneOf(env: NodeJS.ProcessEnv, name: string): string {
  const value = valueOf(env, name) ?? 'UTC';
  try {
    checkTimeZone(value);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  return value;
}

function valueOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function cronOf(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = valueOf(env, name);
  if (value === undefined) return null;
  const check = validateCronExpression(value);
  if (!check.valid) throw new Error(`${name} is not a valid cron expression (${JSON.stringify(value)}): ${check.error?.message ?? 'invalid'}`);
  return value;
}

function integerOf(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const value = valueOf(env, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new Error(`${name} must be a whole number between ${min} and ${max}, got "${value}"`);
  return number;
}
