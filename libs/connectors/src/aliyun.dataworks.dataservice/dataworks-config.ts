import { z } from 'zod';
import { rateLimitConfigSchema } from '../http/rate-limit-config.js';
import { DEFAULT_VENDOR_CALL_TIMEOUT_MS } from '../http/vendor-http-client.js';

/** ListDataServiceApis answers at most 100 APIs a page (VENDORS.md section 5). */
export const DATAWORKS_MAX_PAGE_SIZE = 100;

const regionPattern = /^[a-z]{2,}(-[a-z0-9]+)+$/;

export const dataWorksConfigSchema = z
  .strictObject({
    /**
     * e.g. https://dataworks.cn-shanghai.aliyuncs.com, or a vendor-sim base URL. Optional when
     * `region` is given: the endpoint is then `https://dataworks.{region}.aliyuncs.com`.
     */
    endpoint: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /** e.g. cn-shanghai; also sent as RegionId. */
    region: z.string().trim().regex(regionPattern, 'must be an Alibaba Cloud region id such as cn-shanghai').optional(),
    /** The DataWorks workspaces (ProjectId) to back up: every API of each. */
    projects: z
      .array(z.int().positive('must be a positive workspace id'))
      .min(1, 'must list at least one workspace (ProjectId)')
      .transform((ids) => [...new Set(ids)]),
    tenantId: z.int().positive().optional(),
    /** The answer format asked for; both carry the same content. */
    format: z.enum(['json', 'xml']).default('json'),
    pageSize: z.int().min(1).max(DATAWORKS_MAX_PAGE_SIZE, `must be at most ${DATAWORKS_MAX_PAGE_SIZE} (the vendor's page limit)`).default(DATAWORKS_MAX_PAGE_SIZE),
    /** V3 (`ACS3-HMAC-SHA256`, headers) or the older RPC signature (HMAC-SHA1, query). */
    signature: z.enum(['v3', 'rpc']).default('v3'),
    /** Reads of a workspace whose pages shift under us before the part is given up; at least 1. */
    maxPasses: z.int().min(1).max(10).default(3),
    timeoutMs: z.int().positive().max(3_600_000).default(DEFAULT_VENDOR_CALL_TIMEOUT_MS),
    /** Overrides DATAWORKS_RATE_LIMIT for this endpoint (shared by every source calling it). */
    rateLimit: rateLimitConfigSchema.optional(),
  })
  .refine((config) => config.endpoint !== undefined || config.region !== undefined, {
    path: ['endpoint'],
    error: 'is required unless region is given',
  })
  .transform((config) => ({ ...config, endpoint: config.endpoint ?? `https://dataworks.${config.region}.aliyuncs.com` }));

export type DataWorksConfig = z.output<typeof dataWorksConfigSchema>;
