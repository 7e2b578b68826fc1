import { z } from 'zod';
import { cronExpression, timeZoneName } from './cron-expression.js';

export const sourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit');

/** `POST /api/v1/sources`. `config` is checked by the connector of `kind` afterwards. */
export const createSourceBody = z.strictObject({
  name: sourceName,
  kind: z.string().min(1),
  config: z.record(z.string(), z.unknown()),
  credential: z.string().min(1).nullable().optional().describe('credential id or name'),
  enabled: z.boolean().optional(),
  schedule: cronExpression.nullable().optional().describe('cron expression (5 fields, or 6 with seconds first) for scheduled backups'),
  scheduleTimezone: timeZoneName.nullable().optional().describe('IANA time zone of the schedule (default UTC)'),
  scheduleJitterSeconds: z.int().min(0).max(86_400).optional().describe('each run starts up to this many seconds after its slot'),
});

/** `PATCH /api/v1/sources/:id`: only the fields given change. */
export const updateSourceBody = createSourceBody.partial();
