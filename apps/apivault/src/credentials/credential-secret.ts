import { z } from 'zod';
import type { VendorCredential } from '#cloud-auth';

/** The shape of each credential type's secret, checked before it is sealed. */
export const vendorCredentialSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('huawei-aksk'),
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    securityToken: z.string().min(1).optional(),
  }),
  z.object({ type: z.literal('huawei-token'), token: z.string().min(1) }),
  z
    .object({
      type: z.literal('huawei-password'),
      iamEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      domainName: z.string().min(1),
      userName: z.string().min(1),
      password: z.string().min(1),
      projectId: z.string().min(1).optional(),
      projectName: z.string().min(1).optional(),
    })
    .refine((c) => c.projectId !== undefined || c.projectName !== undefined, { path: ['projectId'], error: 'projectId or projectName is required' }),
  z.object({
    type: z.literal('aliyun-ak'),
    accessKeyId: z.string().min(1),
    accessKeySecret: z.string().min(1),
    securityToken: z.string().min(1).optional(),
  }),
]);

export function parseVendorCredential(raw: unknown): VendorCredential {
  const result = vendorCredentialSchema.safeParse(raw);
  if (!result.success) {
    // Name the field, never echo the value: it may be the secret itself.
    const issue = result.error.issues[0];
    throw new Error(`Invalid credential: ${issue?.path.join('.') || 'type'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
