import { createHmac } from 'node:crypto';
import type { HttpRequestToSign } from './http-request-to-sign.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  HUAWEI_SIGNING_ALGORITHM,
  normalizeHeaders,
  payloadHashFor,
  signedHeaderList,
} from './huawei-canonical-request.js';
import { formatSdkDate } from './huawei-sdk-date.js';

export interface HuaweiAkSk {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials; sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
}

/** Headers the signer itself produces: whatever the caller passed under these names is replaced. */
const SIGNER_OWNED_HEADERS = new Set(['authorization', 'x-sdk-date', 'x-security-token']);

export function huaweiSignature(secretAccessKey: string, stringToSign: string): string {
  return createHmac('sha256', secretAccessKey).update(stringToSign).digest('hex');
}

/**
 * Signs a request with Huawei Cloud `SDK-HMAC-SHA256` and returns the headers to add to it
 * (`X-Sdk-Date`, `Authorization`, and `X-Security-Token` for temporary credentials).
 *
 * Like the official SDK, every header in `req.headers` is signed, plus `host` (from the URL
 * unless `req.headers.host` is set): pass only headers that will be sent unchanged.
 */
export function signHuaweiRequest(req: HttpRequestToSign, cred: HuaweiAkSk, now: Date = new Date()): Record<string, string> {
  const added: Record<string, string> = { 'X-Sdk-Date': formatSdkDate(now) };
  if (cred.securityToken) added['X-Security-Token'] = cred.securityToken;

  const signedHeaders = normalizeHeaders(req.headers);
  for (const name of SIGNER_OWNED_HEADERS) signedHeaders.delete(name);
  if (!signedHeaders.has('host')) signedHeaders.set('host', new URL(req.url).host);
  for (const [name, value] of Object.entries(added)) signedHeaders.set(name.toLowerCase(), value);

  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    url: req.url,
    signedHeaders,
    payloadHash: payloadHashFor(req.body, signedHeaders),
  });
  const signature = huaweiSignature(cred.secretAccessKey, buildStringToSign(added['X-Sdk-Date'], canonicalRequest));
  added.Authorization =
    `${HUAWEI_SIGNING_ALGORITHM} Access=${cred.accessKeyId}, ` +
    `SignedHeaders=${signedHeaderList(signedHeaders).join(';')}, Signature=${signature}`;
  return added;
}
