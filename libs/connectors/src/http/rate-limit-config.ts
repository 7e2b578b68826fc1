import { z } from 'zod';
import type { RateLimit } from './vendor-rate-limiter.js';

/**
 * `rateLimit` in a source's configuration: overrides the connector kind's default for the
 * vendor endpoint the source calls (and so for every source sharing that endpoint).
 */
export const rateLimitConfigSchema = z.strictObject({
  perSecond: z.number().positive('must be above 0').max(1000).optional(),
  concurrency: z.int().min(1).max(64).optional(),
});

export type RateLimitConfig = z.output<typeof rateLimitConfigSchema>;

/** The kind's default with the fields the source sets. */
export function rateLimitWith(kindDefault: Readonly<RateLimit>, configured: RateLimitConfig | undefined): RateLimit {
  return {
    perSecond: configured?.perSecond ?? kindDefault.perSecond,
    concurrency: configured?.concurrency ?? kindDefault.concurrency,
  };
}
