import { validateCronExpression } from 'cron';
import { z } from 'zod';

/** A cron expression (5 or 6 fields, UTC), checked by the `cron` package the scheduler uses. */
export const cronExpression = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const check = validateCronExpression(value);
    if (!check.valid) ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${check.error?.message ?? 'invalid'}` });
  });
