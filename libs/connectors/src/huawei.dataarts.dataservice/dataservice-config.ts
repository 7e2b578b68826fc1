import { z } from 'zod';
import { zipLimitsConfigSchema } from '../archive-formats/zip-limits.js';
import { rateLimitConfigSchema } from '../http/rate-limit-config.js';
import { DEFAULT_VENDOR_CALL_TIMEOUT_MS } from '../http/vendor-http-client.js';

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone, e.g. 2024-07-02T15:59:59Z' });

/**
 * The export's body filters (VENDORS.md section 1), sent as given: a source that sets them backs
 * up that subset only, and an API that stops matching them is recorded as removed.
 */
export const dataServiceFiltersSchema = z
  .strictObject({
    /** Fuzzy match on the API name. */
    name: z.string().min(1).optional(),
    create_user: z.string().min(1).optional(),
    description: z.string().min(1).optional(),
    tags: z.array(z.string().min(1)).min(1).optional(),
    table_name: z.string().min(1).optional(),
    publish_status_type: z.enum(['PUBLISHED', 'NOT_PUBLISHED']).optional(),
    api_specific_type_str: z
      .enum(['API_SPECIFIC_TYPE_CONFIGURATION', 'API_SPECIFIC_TYPE_SCRIPT', 'API_SPECIFIC_TYPE_MYBATIS', 'API_SPECIFIC_TYPE_GROOVY'])
      .optional(),
    start_time: isoDateTime.optional(),
    end_time: isoDateTime.optional(),
    authorization_status_type: z.enum(['NO_AUTHORIZATION_REQUIRED', 'UNAUTHORIZED', 'AUTHORIZED']).optional(),
  })
  .refine((f) => !(f.start_time && f.end_time) || Date.parse(f.start_time) <= Date.parse(f.end_time), {
    message: 'start_time must not be after end_time',
    path: ['end_time'],
  });

export const dataServiceConfigSchema = z.strictObject({
  /** e.g. https://dayu.cn-north-4.myhuaweicloud.com, or a vendor-sim base URL (a path prefix is kept). */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, '')),
  projectId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a Huawei project id (letters, digits, - and _)'),
  /** The DataArts workspace id: the export requires it. */
  workspace: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a DataArts workspace id (letters, digits, - and _)'),
  /** The DataService edition (`Dlm-Type` header); left out, the header is not sent. */
  dlmType: z.enum(['SHARED', 'EXCLUSIVE']).optional(),
  filters: dataServiceFiltersSchema.optional(),
  timeoutMs: z.int().positive().max(3_600_000).default(DEFAULT_VENDOR_CALL_TIMEOUT_MS),
  limits: zipLimitsConfigSchema.optional(),
  rateLimit: rateLimitConfigSchema.optional(),
});

export type DataServiceConfig = z.output<typeof dataServiceConfigSchema>;
export type DataServiceFilters = z.output<typeof dataServiceFiltersSchema>;
