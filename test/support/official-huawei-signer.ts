import { createRequire } from 'node:module';

/**
 * The official Huawei Cloud SDK signer (CommonJS, a dev dependency), loaded for parity tests
 * only. Only its AKSKSigner file is required, which avoids loading the SDK's HTTP stack.
 */
interface OfficialSignerRequest {
  method: string;
  endpoint: string;
  queryParams?: Record<string, string | string[]>;
  headers: Record<string, string>;
  data?: unknown;
}

interface OfficialAkSkSigner {
  sign(request: OfficialSignerRequest, credential: { getAk(): string; getSk(): string }): Record<string, string>;
}

const require = createRequire(import.meta.url);
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js') as { AKSKSigner: OfficialAkSkSigner };

/**
 * Signs as the SDK's BasicCredentials.processAuthRequest does: the security token becomes a
 * header before signing, the date is pinned through `X-Sdk-Date`, and a JSON body is passed as
 * an object that the signer serializes with JSON.stringify (the bytes the SDK then sends).
 */
export function officialHuaweiSign(input: {
  method: string;
  endpoint: string;
  queryParams?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  json?: unknown;
  /** Pins the date; when absent the SDK stamps the current time itself. */
  sdkDate?: string;
  accessKeyId: string;
  secretAccessKey: string;
  securityToken?: string;
}): Record<string, string> {
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  if (input.sdkDate) headers['X-Sdk-Date'] = input.sdkDate;
  if (input.securityToken) headers['X-Security-Token'] = input.securityToken;
  return AKSKSigner.sign(
    { method: input.method, endpoint: input.endpoint, queryParams: input.queryParams ?? {}, headers, data: input.json },
    { getAk: () => input.accessKeyId, getSk: () => input.secretAccessKey },
  );
}
