import { DEFAULT_RETENTION_POLICY, isoWeek, planRetention, retentionPolicyOf, type RetentionCandidate } from './retention-policy.js';

/** One snapshot a day at 02:00 UTC, from `from` to `to` inclusive. */
function dailySnapshots(from: string, to: string): RetentionCandidate[] {
  const snapshots: RetentionCandidate[] = [];
  for (let at = new Date(`${from}T02:00:00Z`); at <= new Date(`${to}T02:00:00Z`); at = new Date(at.getTime() + 86_400_000)) {
    snapshots.push({ id: at.toISOString().slice(0, 10), createdAt: at, retainUntil: null });
  }
  return snapshots;
}

function days(from: string, to: string): string[] {
  return dailySnapshots(from, to).map((s) => s.id);
}

const kept = (decision: { keep: { snapshot: RetentionCandidate }[] }) => decision.keep.map((k) => k.snapshot.id).sort();

describe('planRetention over a simulated year of daily snapshots', () => {
  const year = dailySnapshots('2026-01-01', '2026-12-31');
  const now = new Date('2027-01-01T03:00:00Z'); // the newest snapshot is 25 hours old

  it('with kopia defaults keeps the last 48 days (hourly buckets) and every month end', () => {
    const decision = planRetention(year, DEFAULT_RETENTION_POLICY, now);
    const monthEnds = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31'];
    expect(kept(decision)).toEqual([...monthEnds, ...days('2026-11-14', '2026-12-31')].sort());
    expect(decision.prune).toHaveLength(365 - 58);
    expect(decision.keep.find((k) => k.snapshot.id === '2026-12-31')!.reasons).toEqual(['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly']);
    expect(decision.keep.find((k) => k.snapshot.id === '2026-03-31')!.reasons).toEqual(['monthly']);
  });

  it('keeps exactly last, daily, ISO-weekly, monthly and yearly picks of a tighter policy', () => {
    const policy = { keepLast: 3, keepHourly: 0, keepDaily: 7, keepWeekly: 4, keepMonthly: 6, keepYearly: 3, minAgeHours: 0 };
    const decision = planRetention(year, policy, now);
    // 2026-12-31 is a Thursday in ISO week 2026-W53; the weeks before end on Sundays 27, 20, 13.
    expect(kept(decision)).toEqual(
      [...days('2026-12-25', '2026-12-31'), '2026-12-20', '2026-12-13', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30'].sort(),
    );
    const reasons = Object.fromEntries(decision.keep.map((k) => [k.snapshot.id, k.reasons]));
    expect(reasons['2026-12-29']).toEqual(['last', 'daily']);
    expect(reasons['2026-12-27']).toEqual(['daily', 'weekly']);
    expect(reasons['2026-12-13']).toEqual(['weekly']);
    expect(reasons['2026-07-31']).toEqual(['monthly']);
  });

  it('keeps the newest snapshot of each of the last years', () => {
    const twoYears = dailySnapshots('2025-01-01', '2026-12-31');
    const policy = { keepLast: 0, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 3, minAgeHours: 0 };
    expect(kept(planRetention(twoYears, policy, now))).toEqual(['2025-12-31', '2026-12-31']);
  });

  it('never lets go of a snapshot under lock or younger than the minimum age', () => {
    const locked = year.map((s) => (s.id === '2026-03-15' ? { ...s, retainUntil: new Date('2027-03-15T00:00:00Z') } : s));
    const policy = { keepLast: 1, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0, minAgeHours: 24 * 3 };
    const decision = planRetention(locked, policy, now);
    // 72 hours before 2027-01-01T03:00Z: the snapshots of Dec 30 (49 h) and Dec 31 (25 h); Dec 29 is 73 h old.
    expect(kept(decision)).toEqual(['2026-03-15', '2026-12-30', '2026-12-31']);
    expect(decision.keep.find((k) => k.snapshot.id === '2026-03-15')!.reasons).toEqual(['locked']);
    expect(decision.keep.find((k) => k.snapshot.id === '2026-12-30')!.reasons).toEqual(['min-age']);
  });

  it('keeps the newest snapshot in a period, not the first', () => {
    const sameDay = [
      { id: 'morning', createdAt: new Date('2026-05-01T08:00:00Z'), retainUntil: null },
      { id: 'evening', createdAt: new Date('2026-05-01T20:00:00Z'), retainUntil: null },
    ];
    const policy = { ...DEFAULT_RETENTION_POLICY, keepLast: 0, keepHourly: 0, minAgeHours: 0 };
    expect(kept(planRetention(sameDay, policy, now))).toEqual(['evening']);
  });
});

describe('isoWeek', () => {
  it.each([
    ['2026-01-01T00:00:00Z', '2026-W01'],
    ['2026-12-31T23:00:00Z', '2026-W53'],
    ['2027-01-03T12:00:00Z', '2026-W53'],
    ['2027-01-04T00:00:00Z', '2027-W01'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
  ])('%s is in %s', (at, week) => {
    expect(isoWeek(new Date(at))).toBe(week);
  });
});

describe('retentionPolicyOf', () => {
  it('overrides the defaults field by field and rejects nonsense', () => {
    expect(retentionPolicyOf({ keepDaily: 30 })).toEqual({ ...DEFAULT_RETENTION_POLICY, keepDaily: 30 });
    expect(() => retentionPolicyOf({ keepLast: -1 })).toThrow('retention keepLast must be a non-negative integer, got -1');
  });
});
