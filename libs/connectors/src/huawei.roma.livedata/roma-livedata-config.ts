import { z } from 'zod';
import { rateLimitConfigSchema } from '../http/rate-limit-config.js';
import { DEFAULT_VENDOR_CALL_TIMEOUT_MS } from '../http/vendor-http-client.js';

/** Export formats of the vendor (confirmed: json, yaml, yml); the catalog is the same for all three. */
export const ROMA_EXPORT_FORMATS = ['json', 'yaml', 'yml'] as const;
export type RomaExportFormat = (typeof ROMA_EXPORT_FORMATS)[number];

/** The vendor caps an export at 50 MB; a little room above it for how "MB" is counted. */
export const DEFAULT_MAX_EXPORT_BYTES = 64 * 1024 * 1024;
/** YAML aliases per document: a real export has none; many are a billion-laughs attack. */
export const DEFAULT_MAX_YAML_ALIASES = 100;

export const romaLiveDataLimitsSchema = z.strictObject({
  /** Largest export the parser reads. */
  maxExportBytes: z.int().positive().max(1024 * 1024 * 1024).default(DEFAULT_MAX_EXPORT_BYTES),
  maxYamlAliases: z.int().min(0).max(10_000).default(DEFAULT_MAX_YAML_ALIASES),
});

export const romaLiveDataConfigSchema = z.strictObject({
  /** e.g. https://roma.cn-north-4.myhuaweicloud.com, or a vendor-sim base URL (a path prefix is kept). */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, '')),
  projectId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a Huawei project id (letters, digits, - and _)'),
  instanceId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a ROMA Connect instance id (letters, digits, - and _)'),
  /** Integration application ids to back up; absent means every application of the instance. */
  apps: z
    .array(z.string().trim().min(1, 'an application id must not be empty'))
    .min(1, 'list at least one application id, or leave apps out for all of them')
    .refine((ids) => new Set(ids).size === ids.length, 'an application id is listed twice')
    .optional(),
  format: z.enum(ROMA_EXPORT_FORMATS).default('json'),
  timeoutMs: z.int().positive().max(3_600_000).default(DEFAULT_VENDOR_CALL_TIMEOUT_MS),
  limits: romaLiveDataLimitsSchema.optional(),
  /** Overrides ROMA_RATE_LIMIT for this endpoint (shared by every source calling it). */
  rateLimit: rateLimitConfigSchema.optional(),
});

export type RomaLiveDataConfig = z.output<typeof romaLiveDataConfigSchema>;
export type RomaLiveDataLimits = z.output<typeof romaLiveDataLimitsSchema>;
