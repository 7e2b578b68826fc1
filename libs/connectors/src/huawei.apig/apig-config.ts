import { z } from 'zod';
import { rateLimitConfigSchema } from '../http/rate-limit-config.js';
import { DEFAULT_VENDOR_CALL_TIMEOUT_MS } from '../http/vendor-http-client.js';

const huaweiId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, `must be a Huawei ${what} id (letters, digits, - and _)`);

/** Largest export accepted by default: far above any real group, far below what would hurt. */
export const APIG_DEFAULT_MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export const apigConfigSchema = z.strictObject({
  /** e.g. https://apig.cn-north-4.myhuaweicloud.com, or a vendor-sim base URL (a path prefix is kept). */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, '')),
  projectId: huaweiId('project'),
  /** The dedicated gateway (instance) whose API groups are backed up. */
  instanceId: huaweiId('APIG instance'),
  /** API group ids to back up; absent = every group of the instance. */
  groups: z.array(huaweiId('API group')).min(1, 'list at least one group id, or leave the field out for all groups').optional(),
  /** The OpenAPI version of the exports; the vendor's default is 2.0, ours 3.0. */
  oasVersion: z.enum(['2.0', '3.0']).default('3.0'),
  /** The file format of the exports. */
  format: z.enum(['json', 'yaml']).default('json'),
  timeoutMs: z.int().positive().max(3_600_000).default(DEFAULT_VENDOR_CALL_TIMEOUT_MS),
  /** Exports above this size are refused (a vendor fault or a hostile answer, not an API group). */
  maxExportBytes: z.int().positive().max(1024 * 1024 * 1024).default(APIG_DEFAULT_MAX_EXPORT_BYTES),
  /** Overrides APIG_RATE_LIMIT for this endpoint (shared by every source calling it). */
  rateLimit: rateLimitConfigSchema.optional(),
});

export type ApigConfig = z.output<typeof apigConfigSchema>;
