import { z } from 'zod';
import { APIG_AUTH_TYPES, APIG_METHODS, APIG_PARAMETER_LOCATIONS, APIG_PARAMETER_TYPES, APIG_PROTOCOLS, type ApigApi } from './apig-model.js';

/** Validation of APIs given to the `/_sim/apig` control API, with messages naming the bad field. */

const jsonObject = z.record(z.string(), z.json());

const requestParameter = z.strictObject({
  name: z.string().min(1),
  location: z.enum(APIG_PARAMETER_LOCATIONS),
  type: z.enum(APIG_PARAMETER_TYPES),
  required: z.boolean(),
  defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
  description: z.string().optional(),
  passThrough: z.boolean(),
  orchestrations: z.array(z.string()).optional(),
});

const backendParameter = z.strictObject({
  name: z.string().min(1),
  value: z.string(),
  location: z.enum(APIG_PARAMETER_LOCATIONS),
  origin: z.enum(['REQUEST', 'CONSTANT', 'SYSTEM']),
  description: z.string().optional(),
});

const httpTarget = {
  scheme: z.enum(['http', 'https']),
  method: z.enum(APIG_METHODS),
  path: z.string().startsWith('/'),
  timeout: z.int().min(1).max(600_000),
  retryCount: z.string(),
  description: z.string(),
  enableClientSsl: z.boolean(),
  enableSmChannel: z.boolean(),
};

const backend = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('HTTP'), address: z.string().min(1), ...httpTarget }),
  z.strictObject({ type: z.literal('HTTP-VPC'), vpcChannelName: z.string().min(1), ...httpTarget }),
  z.strictObject({
    type: z.literal('FUNCTION'),
    functionUrn: z.string().min(1),
    aliasUrn: z.string(),
    version: z.string(),
    invocationType: z.enum(['sync', 'async']),
    networkType: z.enum(['V1', 'V2']),
    reqProtocol: z.enum(['HTTPS', 'GRPCS']),
    timeout: z.int().min(1).max(600_000),
  }),
  z.strictObject({ type: z.literal('MOCK'), resultContent: z.string() }),
]);

const backendPolicy = z.strictObject({
  name: z.string().min(1),
  backend,
  parameters: z.array(backendParameter),
  conditions: z.array(
    z.strictObject({
      type: z.enum(['equal', 'enum', 'pattern']),
      value: z.string(),
      origin: z.enum(['source', 'request_parameter']),
      parameterName: z.string().optional(),
    }),
  ),
});

export const apigApiSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  groupId: z.string().min(1),
  name: z.string().min(1).max(255),
  method: z.enum(APIG_METHODS),
  path: z.string().startsWith('/'),
  matchMode: z.enum(['NORMAL', 'SWA']),
  protocol: z.enum(APIG_PROTOCOLS),
  requestType: z.enum(['public', 'private']),
  authType: z.enum(APIG_AUTH_TYPES),
  authorizerId: z.string().optional(),
  appCodeAuth: z.boolean().optional(),
  description: z.string(),
  tags: z.array(z.string()),
  cors: z.boolean(),
  sendFgBodyBase64: z.boolean(),
  parameters: z.array(requestParameter),
  body: z.strictObject({ description: z.string(), required: z.boolean(), schemaName: z.string().min(1), schema: jsonObject }).optional(),
  responses: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('empty') }),
    z.strictObject({ kind: z.literal('default'), normalSample: z.string().optional(), failureSample: z.string().optional() }),
  ]),
  backend: backend.optional(),
  backendParameters: z.array(backendParameter),
  backendPolicies: z.array(backendPolicy),
  registerTime: z.iso.datetime(),
  updateTime: z.iso.datetime(),
});

export const apigBindingsSchema = z.strictObject({ throttle: z.string().min(1).optional(), acl: z.string().min(1).optional() });

/** Parses an API, or returns the problems, each naming its field ("backend.address: ..."). */
export function parseApigApi(value: unknown): { ok: true; api: ApigApi } | { ok: false; problems: string } {
  const result = apigApiSchema.safeParse(value);
  if (result.success) return { ok: true, api: result.data as ApigApi };
  return { ok: false, problems: result.error.issues.map((i) => `${i.path.map(String).join('.') || '(api)'}: ${i.message}`).join('; ') };
}
