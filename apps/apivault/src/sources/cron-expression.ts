import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { checkTimeZone } from '../schedules/schedule-slots.js';

/** A cron expression (5 or 6 fields), checked by the `cron` package the scheduler uses. */
export const cronExpression = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const check = validateCronExpression(value);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${check.error?.message ?? 'invalid'}` });
  });

/** An IANA time zone name the runtime knows (Europe/Berlin, Asia/Shanghai, UTC). */
export const timeZoneName = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      checkTimeZone(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });
