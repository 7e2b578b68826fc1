import { DEFAULT_RETENTION_POLICY } from './retention-policy.js';
import { snapshotSettingsFromEnv } from './snapshot-settings.js';

describe('snapshotSettingsFromEnv', () => {
  it('has no schedules and kopia-like retention by default', () => {
    expect(snapshotSettingsFromEnv({})).toEqual({ snapshotCron: null, verifyCron: null, timeZone: 'UTC', verifySamplePercent: 100, retention: DEFAULT_RETENTION_POLICY });
  });

  it('reads schedules, the verification sample and retention overrides', () => {
    expect(
      snapshotSettingsFromEnv({
        APIVAULT_SNAPSHOT_CRON: '0 2 * * *',
        APIVAULT_VERIFY_CRON: '30 3 * * 0',
        APIVAULT_SNAPSHOT_TIMEZONE: 'Asia/Shanghai',
        APIVAULT_VERIFY_SAMPLE_PERCENT: '5',
        APIVAULT_SNAPSHOT_KEEP_DAILY: '30',
        APIVAULT_SNAPSHOT_MIN_AGE_HOURS: '0',
      }),
    ).toEqual({ snapshotCron: '0 2 * * *', verifyCron: '30 3 * * 0', timeZone: 'Asia/Shanghai', verifySamplePercent: 5, retention: { ...DEFAULT_RETENTION_POLICY, keepDaily: 30, minAgeHours: 0 } });
  });

  it('names the variable that is wrong', () => {
    expect(() => snapshotSettingsFromEnv({ APIVAULT_SNAPSHOT_CRON: 'every day' })).toThrow(/^APIVAULT_SNAPSHOT_CRON is not a valid cron expression/);
    expect(() => snapshotSettingsFromEnv({ APIVAULT_SNAPSHOT_TIMEZONE: 'Mars/Olympus' })).toThrow('APIVAULT_SNAPSHOT_TIMEZONE: unknown time zone "Mars/Olympus"');
    expect(() => snapshotSettingsFromEnv({ APIVAULT_VERIFY_SAMPLE_PERCENT: '0' })).toThrow('APIVAULT_VERIFY_SAMPLE_PERCENT must be a whole number between 1 and 100, got "0"');
    expect(() => snapshotSettingsFromEnv({ APIVAULT_SNAPSHOT_KEEP_LAST: '-1' })).toThrow('APIVAULT_SNAPSHOT_KEEP_LAST must be a whole number');
  });
});
