import { checkTimeZone, jitteredStart, latestSlotAtOrBefore, nextSlotAfter, slotKey, slotOfTick } from './schedule-slots.js';

describe('schedule slots', () => {
  it('finds the latest fire time of a per-second schedule', () => {
    const at = new Date('2026-11-23T10:00:07.400Z');
    expect(latestSlotAtOrBefore({ cron: '*/3 * * * * *', timeZone: 'UTC' }, at)?.toISOString()).toBe('2026-11-23T10:00:06.000Z');
  });

  it('counts a tick that fires exactly on the slot as that slot', () => {
    const at = new Date('2026-11-23T10:00:06.000Z');
    expect(latestSlotAtOrBefore({ cron: '*/3 * * * * *', timeZone: 'UTC' }, at)?.toISOString()).toBe('2026-11-23T10:00:06.000Z');
  });

  it('maps a tick that fires a little early or late to its own slot', () => {
    const every3s = { cron: '*/3 * * * * *', timeZone: 'UTC' };
    expect(slotOfTick(every3s, new Date('2026-11-23T10:00:05.990Z'))?.toISOString()).toBe('2026-11-23T10:00:06.000Z');
    expect(slotOfTick(every3s, new Date('2026-11-23T10:00:06.000Z'))?.toISOString()).toBe('2026-11-23T10:00:06.000Z');
    expect(slotOfTick(every3s, new Date('2026-11-23T10:00:07.400Z'))?.toISOString()).toBe('2026-11-23T10:00:06.000Z');
  });

  it('finds a weekly slot days back', () => {
    // Mondays 03:00 UTC; 2026-11-23 is a Monday, so from Sunday the latest is the 16th.
    const at = new Date('2026-11-22T12:00:00Z');
    expect(latestSlotAtOrBefore({ cron: '0 3 * * 1', timeZone: 'UTC' }, at)?.toISOString()).toBe('2026-11-16T03:00:00.000Z');
  });

  it('applies the time zone', () => {
    // 02:00 in Shanghai (UTC+8) is 18:00 UTC the day before.
    const at = new Date('2026-11-23T12:00:00Z');
    expect(latestSlotAtOrBefore({ cron: '0 2 * * *', timeZone: 'Asia/Shanghai' }, at)?.toISOString()).toBe('2026-11-22T18:00:00.000Z');
    expect(nextSlotAfter({ cron: '0 2 * * *', timeZone: 'Asia/Shanghai' }, at).toISOString()).toBe('2026-11-23T18:00:00.000Z');
  });

  it('returns null for a schedule that did not fire within a year', () => {
    expect(latestSlotAtOrBefore({ cron: '0 0 30 2 *', timeZone: 'UTC' }, new Date('2026-11-23T00:00:00Z'))).toBeNull();
  });

  it('derives the same jitter on every replica, within bounds', () => {
    const slot = new Date('2026-11-23T03:00:00Z');
    const a = jitteredStart('source-a', slot, 300);
    expect(jitteredStart('source-a', slot, 300)).toEqual(a);
    expect(a.getTime() - slot.getTime()).toBeGreaterThanOrEqual(0);
    expect(a.getTime() - slot.getTime()).toBeLessThanOrEqual(300_000);
    const spread = new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => jitteredStart(id, slot, 300).getTime()));
    expect(spread.size).toBeGreaterThan(1);
    expect(jitteredStart('source-a', slot, 0)).toEqual(slot);
  });

  it('keys slots by instant', () => {
    expect(slotKey(new Date('2026-11-23T03:00:00Z'))).toBe('schedule:2026-11-23T03:00:00.000Z');
  });

  it('rejects unknown time zones by name', () => {
    expect(() => checkTimeZone('Europe/Berlin')).not.toThrow();
    expect(() => checkTimeZone('Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });
});
