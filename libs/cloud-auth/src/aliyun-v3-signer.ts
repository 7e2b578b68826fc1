import { randomUUID } from 'node:crypto';
import type { AliyunAccessKey } from './aliyun-access-key.js';
import { compareCodeUnits } from './uri-encoding.js';
import { formatAliyunTimestamp } from './aliyun-timestamp.js';
import {
  ALIYUN_V3_ALGORITHM,
  aliyunHexSha256,
  aliyunV3Signature,
  aliyunV3StringToSign,
  buildAliyunV3CanonicalRequest,
  isAliyunV3SignedHeader,
} from './aliyun-v3-canonical-request.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';

export interface AliyunSigningOptions {
  /** The signing time; default now. */
  now?: Date;
  /** The signature nonce; default a random UUID. Never reuse one: the server refuses it. */
  nonce?: string;
}

/** Headers the V3 signer produces: whatever the caller passed under these names is replaced. */
const SIGNER_OWNED_HEADERS = new Set([
  'authorization',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
  'x-acs-security-token',
  'x-acs-accesskey-id',
]);

/**
 * Signs a request with Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`) and returns the headers to
 * add: `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, `Authorization`, and for
 * temporary credentials `x-acs-security-token` (with `x-acs-accesskey-id`, as the SDK sends).
 *
 * The caller passes the call's `x-acs-action` and `x-acs-version` in `req.headers`. Like the
 * official SDK, `host`, `content-type` and every `x-acs-*` header are signed; `host` comes from
 * the URL unless `req.headers.host` is set.
 */
export function signAliyunV3Request(req: HttpRequestToSign, key: AliyunAccessKey, options: AliyunSigningOptions = {}): Record<string, string> {
  const added: Record<string, string> = {
    'x-acs-date': formatAliyunTimestamp(options.now ?? new Date()),
    'x-acs-signature-nonce': options.nonce ?? randomUUID(),
    'x-acs-content-sha256': aliyunHexSha256(req.body ?? ''),
  };
  if (key.securityToken) {
    added['x-acs-accesskey-id'] = key.accessKeyId;
    added['x-acs-security-token'] = key.securityToken;
  }

  const signed = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || value === null || SIGNER_OWNED_HEADERS.has(lower) || !isAliyunV3SignedHeader(lower)) continue;
    signed.set(lower, String(value).trim());
  }
  if (!signed.has('host')) signed.set('host', new URL(req.url).host);
  for (const [name, value] of Object.entries(added)) signed.set(name, value);

  const signedHeaders = [...signed.entries()].sort(([a], [b]) => compareCodeUnits(a, b));
  const canonicalRequest = buildAliyunV3CanonicalRequest({
    method: req.method,
    url: req.url,
    signedHeaders,
    payloadHash: added['x-acs-content-sha256'],
  });
  const signature = aliyunV3Signature(key.accessKeySecret, aliyunV3StringToSign(canonicalRequest));
  added.Authorization =
    `${ALIYUN_V3_ALGORITHM} Credential=${key.accessKeyId},` +
    `SignedHeaders=${signedHeaders.map(([name]) => name).join(';')},Signature=${signature}`;
  return added;
}
