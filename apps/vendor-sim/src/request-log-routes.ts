import { Router } from 'express';
import { z } from 'zod';
import type { LoggedRequest } from './request-log.js';

const querySchema = z.strictObject({
  vendor: z.enum(['dlf', 'dataservice', 'roma', 'apig', 'dataworks', 'iam']).optional(),
  /** Only calls received at or after this instant (ms since the epoch). */
  since: z.coerce.number().int().nonnegative().optional(),
});

/**
 * `GET /_sim/requests`: every vendor call received, oldest first, with when it arrived, its
 * vendor, status and Retry-After, so a black-box test can measure a client's call rate where
 * the vendor sees it. Mounted by the control router, so off unless `admin`.
 */
export function requestLogRouter(log: readonly LoggedRequest[]): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const parsed = querySchema.safeParse(req.query);
    if (!parsed.success) {
      return void res.status(400).json({ error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ') });
    }
    const { vendor, since } = parsed.data;
    res.json({ requests: log.filter((call) => (vendor === undefined || call.vendor === vendor) && (since === undefined || call.receivedAt >= since)) });
  });
  return router;
}
