import { createHash } from 'node:crypto';
import { CronTime } from 'cron';

/** A source's schedule as stored: cron (5 or 6 fields), IANA zone, jitter. */
export interface SourceSchedule {
  cron: string;
  timeZone: string;
  jitterSeconds: number;
}

// Look-back windows for the latest slot: small first, so a per-second schedule is cheap and a
// yearly one is still found.
const LOOK_BACK_MS = [60_000, 3_600_000, 86_400_000, 8 * 86_400_000, 32 * 86_400_000, 367 * 86_400_000];

/**
 * The latest instant the schedule fires at, at or before `at` (null when it never fired in the
 * last year). Replicas compute the same slot for the same tick, which is what makes the
 * (source, slot) key an exactly-once guard.
 */
export function latestSlotAtOrBefore(schedule: Pick<SourceSchedule, 'cron' | 'timeZone'>, at: Date): Date | null {
  for (const back of LOOK_BACK_MS) {
    let latest: Date | null = null;
    let next = nextFire(schedule, new Date(at.getTime() - back));
    while (next !== null && next.getTime() <= at.getTime()) {
      latest = next;
      next = nextFire(schedule, next);
    }
    if (latest) return latest;
  }
  return null;
}

/** `cron` gives up (throws) on expressions that never match, such as 30 February. */
function nextFire(schedule: Pick<SourceSchedule, 'cron' | 'timeZone'>, after: Date): Date | null {
  try {
    return nextSlotAfter(schedule, after);
  } catch {
    return null;
  }
}

/**
 * The slot a cron tick at `at` stands for: the fire time nearest to it. Timers fire a little
 * early or late; the nearest fire time is right as long as the drift is under half the period.
 */
export function slotOfTick(schedule: Pick<SourceSchedule, 'cron' | 'timeZone'>, at: Date): Date | null {
  const before = latestSlotAtOrBefore(schedule, at);
  const after = nextFire(schedule, at);
  if (!before) return after;
  if (!after) return before;
  return at.getTime() - before.getTime() <= after.getTime() - at.getTime() ? before : after;
}

/** The next instant the schedule fires after `at`. */
export function nextSlotAfter(schedule: Pick<SourceSchedule, 'cron' | 'timeZone'>, at: Date): Date {
  // The zone must be given to getNextDateFrom itself: the constructor's is only used by CronJob.
  return new CronTime(schedule.cron, schedule.timeZone).getNextDateFrom(at, schedule.timeZone).toJSDate();
}

/** The run's slot key: one per fire time, the same on every replica. */
export function slotKey(slot: Date): string {
  return `schedule:${slot.toISOString()}`;
}

/**
 * When the slot's run may start: the slot plus a delay derived from the source and the slot, so
 * every replica agrees on it and sources sharing a schedule do not all call their vendors at once.
 */
export function jitteredStart(sourceId: string, slot: Date, jitterSeconds: number): Date {
  if (jitterSeconds <= 0) return slot;
  const hash = createHash('sha256').update(`${sourceId}|${slot.toISOString()}`).digest();
  return new Date(slot.getTime() + (hash.readUInt32BE(0) % (jitterSeconds * 1000 + 1)));
}

/** Throws a clear error for a zone name the runtime does not know. */
export function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin or Asia/Shanghai)`);
  }
}
