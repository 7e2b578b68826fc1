/**
 * How many snapshots of one scope to keep, kopia-style: the newest `keepLast`, plus the newest
 * snapshot of each of the last `keepHourly` hours, `keepDaily` days, `keepWeekly` ISO weeks,
 * `keepMonthly` months and `keepYearly` years that have one (UTC). Snapshots younger than
 * `minAgeHours` are always kept, and so is any snapshot still under an Object Lock retention.
 */
export interface RetentionPolicy {
  keepLast: number;
  keepHourly: number;
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  keepYearly: number;
  minAgeHours: number;
}

/** kopia's defaults, plus one day of minimum age so a prune never races a fresh snapshot. */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  keepLast: 10,
  keepHourly: 48,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 24,
  keepYearly: 3,
  minAgeHours: 24,
};

export const RETENTION_FIELDS = ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly', 'minAgeHours'] as const satisfies readonly (keyof RetentionPolicy)[];

export type RetentionReason = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' | 'min-age' | 'locked';

export interface RetentionCandidate {
  id: string;
  createdAt: Date;
  /** Object Lock retention of its sealed files; a snapshot is never pruned before it. */
  retainUntil: Date | null;
}

export interface RetentionDecision<T extends RetentionCandidate> {
  /** Kept snapshots, newest first, each with every rule that keeps it. */
  keep: { snapshot: T; reasons: RetentionReason[] }[];
  /** Snapshots outside the policy, newest first. */
  prune: T[];
}

type Period = Exclude<RetentionReason, 'last' | 'min-age' | 'locked'>;

const PERIODS: { reason: Period; field: keyof RetentionPolicy; bucket: (at: Date) => string }[] = [
  { reason: 'hourly', field: 'keepHourly', bucket: (at) => at.toISOString().slice(0, 13) },
  { reason: 'daily', field: 'keepDaily', bucket: (at) => at.toISOString().slice(0, 10) },
  { reason: 'weekly', field: 'keepWeekly', bucket: isoWeek },
  { reason: 'monthly', field: 'keepMonthly', bucket: (at) => at.toISOString().slice(0, 7) },
  { reason: 'yearly', field: 'keepYearly', bucket: (at) => at.toISOString().slice(0, 4) },
];

/** Pure: which snapshots of ONE scope the policy keeps at `now`, and which it lets go. */
export function planRetention<T extends RetentionCandidate>(snapshots: readonly T[], policy: RetentionPolicy, now: Date): RetentionDecision<T> {
  const newestFirst = [...snapshots].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const reasons = new Map<string, RetentionReason[]>(newestFirst.map((s) => [s.id, []]));
  const add = (snapshot: T, reason: RetentionReason) => reasons.get(snapshot.id)!.push(reason);

  newestFirst.slice(0, policy.keepLast).forEach((snapshot) => add(snapshot, 'last'));
  for (const { reason, field, bucket } of PERIODS) {
    const seen = new Set<string>();
    for (const snapshot of newestFirst) {
      const id = bucket(snapshot.createdAt);
      if (seen.has(id)) continue;
      if (seen.size >= policy[field]) break;
      seen.add(id);
      add(snapshot, reason);
    }
  }
  const minAgeMs = policy.minAgeHours * 3_600_000;
  for (const snapshot of newestFirst) {
    if (now.getTime() - snapshot.createdAt.getTime() < minAgeMs) add(snapshot, 'min-age');
    if (snapshot.retainUntil && snapshot.retainUntil.getTime() > now.getTime()) add(snapshot, 'locked');
  }
  return {
    keep: newestFirst.filter((s) => reasons.get(s.id)!.length > 0).map((snapshot) => ({ snapshot, reasons: reasons.get(snapshot.id)! })),
    prune: newestFirst.filter((s) => reasons.get(s.id)!.length === 0),
  };
}

/** ISO-8601 week of a UTC instant, e.g. "2026-W09" (weeks start on Monday; week 1 holds Jan 4). */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** A policy from partial overrides, each a non-negative integer. */
export function retentionPolicyOf(overrides: Partial<Record<keyof RetentionPolicy, unknown>> | null | undefined, base: RetentionPolicy = DEFAULT_RETENTION_POLICY): RetentionPolicy {
  const policy = { ...base };
  for (const field of RETENTION_FIELDS) {
    const value = overrides?.[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RangeError(`retention ${field} must be a non-negative integer, got ${JSON.stringify(value)}`);
    policy[field] = value;
  }
  return policy;
}
