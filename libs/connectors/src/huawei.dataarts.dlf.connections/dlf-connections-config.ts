import { z } from 'zod';
import { zipLimitsConfigSchema } from '../archive-formats/zip-limits.js';
import { rateLimitConfigSchema } from '../http/rate-limit-config.js';
import { DEFAULT_VENDOR_CALL_TIMEOUT_MS } from '../http/vendor-http-client.js';

export const dlfConnectionsConfigSchema = z.strictObject({
  /** e.g. https://dayu-dlf.cn-north-4.myhuaweicloud.com, or a vendor-sim base URL (a path prefix is kept). */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, '')),
  projectId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a Huawei project id (letters, digits, - and _)'),
  /** The DataArts workspace id; absent means the project's default workspace. */
  workspace: z.string().trim().min(1, 'must not be empty (leave it out for the default workspace)').optional(),
  timeoutMs: z.int().positive().max(3_600_000).default(DEFAULT_VENDOR_CALL_TIMEOUT_MS),
  limits: zipLimitsConfigSchema.optional(),
  /** Overrides DLF_RATE_LIMIT for this endpoint (shared by every source calling it). */
  rateLimit: rateLimitConfigSchema.optional(),
});

export type DlfConnectionsConfig = z.output<typeof dlfConnectionsConfigSchema>;
