import { z } from 'zod';
import { vendorCredentialSchema } from '../credentials/credential-secret.js';
import { RETENTION_FIELDS } from '../snapshots/retention-policy.js';
import { cronExpression, timeZoneName } from '../sources/cron-expression.js';
import { sourceName } from '../sources/source-body.js';

const credentialName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit');

/** Where raw exports are archived; each key stands for the APIVAULT_* variable named in docs/configuration.md. */
const storageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('filesystem'), dir: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().min(1),
    region: z.string().min(1).optional(),
    endpoint: z.string().min(1).optional(),
    prefix: z.string().optional(),
    forcePathStyle: z.boolean().optional(),
    checksumMode: z.enum(['when-required', 'when-supported']).optional(),
    conditionalWrites: z.boolean().optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
    objectLockMode: z.enum(['compliance', 'governance']).optional(),
    objectLockDays: z.number().int().min(1).max(36500).optional(),
  }),
]);

const retentionPolicySchema = z.strictObject(Object.fromEntries(RETENTION_FIELDS.map((field) => [field, z.number().int().min(0).max(1_000_000).optional()])) as Record<(typeof RETENTION_FIELDS)[number], z.ZodOptional<z.ZodNumber>>);

const sourceSchema = z.strictObject({
  name: sourceName,
  kind: z.string().min(1),
  config: z.record(z.string(), z.unknown()),
  /** A credential declared under `credentials:` (or already stored), or one written inline. */
  credential: z.union([credentialName, vendorCredentialSchema]).optional(),
  enabled: z.boolean().default(true),
  schedule: cronExpression.optional(),
  /** IANA time zone of the schedule (default UTC). */
  timezone: timeZoneName.optional(),
  /** Each scheduled run starts up to this many seconds after its slot. */
  jitterSeconds: z.int().min(0).max(86_400).optional(),
});

/** apivault.yaml: see docs/configuration.md. */
export const apivaultConfigSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    storage: storageSchema.optional(),
    retention: z.strictObject({ snapshots: retentionPolicySchema.optional() }).optional(),
    credentials: z.record(credentialName, vendorCredentialSchema).default({}),
    sources: z.array(sourceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sources.forEach((source, index) => {
      if (seen.has(source.name)) ctx.addIssue({ code: 'custom', path: ['sources', index, 'name'], message: `source ${source.name} is declared twice` });
      seen.add(source.name);
    });
  });

export type ApivaultConfig = z.output<typeof apivaultConfigSchema>;
export type DeclaredSource = ApivaultConfig['sources'][number];

/** The name under which a source's inline credential is stored. */
export function inlineCredentialName(sourceName: string): string {
  return `${sourceName}.credential`;
}
