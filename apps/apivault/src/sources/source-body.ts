import { z } from 'zod';
import { cronExpression } from './cron-expression.js';

export const sourceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit');

/** `POST /api/v1/sources`. `config` is checked by the connector of `kind` afterwards. */
export const createSourceBody = z.strictObject({
  name: sourceName,
  kind: z.string().min(1),
  config: z.record(z.string(), z.unknown()),
  credential: z.string().min(1).nullable().optional().describe('credential id or name'),
  enabled: z.boolean().optional(),
  schedule: cronExpression.nullable().optional().describe('cron expression (UTC) for scheduled backups'),
});

/** `PATCH /api/v1/sources/:id`: only the fields given change. */
export const updateSourceBody = createSourceBody.partial();
