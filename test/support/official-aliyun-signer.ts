import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * The official Alibaba Cloud signing helpers (`@alicloud/openapi-util`, CommonJS, a dev
 * dependency), loaded for parity tests only. They are what `@alicloud/openapi-client` calls when
 * it signs a request, fed here with the same request model it builds.
 */
interface OfficialOpenApiUtil {
  getAuthorization(
    request: { method: string; pathname: string; query: Record<string, string>; headers: Record<string, string> },
    signatureAlgorithm: string,
    payload: string,
    accessKeyId: string,
    accessKeySecret: string,
  ): string;
  getRPCSignature(signedParams: Record<string, string>, method: string, secret: string): string;
}

const require = createRequire(import.meta.url);
const OpenApiUtil = (require('@alicloud/openapi-util') as { default: OfficialOpenApiUtil }).default;

export interface OfficialV3Input {
  method: string;
  pathname?: string;
  query: Record<string, string>;
  /** Every header the client sends, as `doRequest` assembles them (x-acs-* included). */
  headers: Record<string, string>;
  body?: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * The `Authorization` header as `OpenApiClient.doRequest` computes it: the payload hash goes into
 * `x-acs-content-sha256`, and temporary credentials add `x-acs-accesskey-id` and
 * `x-acs-security-token` before signing.
 */
export function officialAliyunV3Authorization(input: OfficialV3Input): string {
  const payload = createHash('sha256').update(input.body ?? '').digest('hex');
  const headers: Record<string, string> = { ...input.headers, 'x-acs-content-sha256': payload };
  if (input.securityToken) {
    headers['x-acs-accesskey-id'] = input.accessKeyId;
    headers['x-acs-security-token'] = input.securityToken;
  }
  return OpenApiUtil.getAuthorization(
    { method: input.method, pathname: input.pathname ?? '/', query: input.query, headers },
    'ACS3-HMAC-SHA256',
    payload,
    input.accessKeyId,
    input.accessKeySecret,
  );
}

/** The `Signature` query parameter as `OpenApiClient.doRPCRequest` computes it. */
export function officialAliyunRpcSignature(params: Record<string, string>, method: string, accessKeySecret: string): string {
  return OpenApiUtil.getRPCSignature(params, method, accessKeySecret);
}
