import { createRequire } from 'node:module';

/**
 * The official Huawei Cloud SDK signer (CommonJS dev dependency), for tests only. The SDK's
 * full client cannot be loaded here: its ClientBuilder requires `uuid`, which the package does
 * not declare and is not installed, so requests are signed with its AKSKSigner and sent by fetch.
 */
interface OfficialAkSkSigner {
  sign(
    request: { method: string; endpoint: string; queryParams: Record<string, string>; headers: Record<string, string>; data?: unknown },
    credential: { getAk(): string; getSk(): string },
  ): Record<string, string>;
}

const require = createRequire(import.meta.url);
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js') as { AKSKSigner: OfficialAkSkSigner };

/**
 * Headers as the SDK's BasicCredentials would send them for a JSON call: `X-Project-Id`, the
 * date the SDK generates itself, and a signature over JSON.stringify(json), which is therefore
 * the body to send.
 */
export function officialSignedHeaders(input: {
  method: string;
  url: string;
  headers: Record<string, string>;
  json: unknown;
  projectId: string;
  accessKeyId: string;
  secretAccessKey: string;
}): Record<string, string> {
  return AKSKSigner.sign(
    {
      method: input.method,
      endpoint: input.url,
      queryParams: {},
      headers: { ...input.headers, 'X-Project-Id': input.projectId },
      data: input.json,
    },
    { getAk: () => input.accessKeyId, getSk: () => input.secretAccessKey },
  );
}
