import { timingSafeEqual } from 'node:crypto';
import { decodeQueryPairs } from './uri-encoding.js';
import { ALIYUN_RPC_SIGNATURE_METHOD, ALIYUN_RPC_SIGNATURE_VERSION, aliyunRpcSignature } from './aliyun-rpc-signature.js';
import {
  DEFAULT_ALIYUN_MAX_SKEW_SECONDS,
  type AliyunSignatureVerdict,
  type VerifyAliyunSignatureOptions,
} from './aliyun-signature-verdict.js';
import { parseAliyunTimestamp } from './aliyun-timestamp.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';

/** Whether a content type is a form body, whose fields are RPC parameters like the query's. */
export function isFormContentType(contentType: string | undefined): boolean {
  return /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? '');
}

/**
 * The parameters of an RPC call: the query's, then the form body's. A name given twice (in the
 * query, the body, or both) makes the call ambiguous: undefined.
 */
export function aliyunRpcParams(req: HttpRequestToSign): Record<string, string> | undefined {
  const url = new URL(req.url);
  const contentType = Object.entries(req.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const pairs = decodeQueryPairs(url.search);
  if (isFormContentType(contentType) && req.body !== undefined) {
    pairs.push(...decodeQueryPairs(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body));
  }
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of pairs) {
    if (Object.hasOwn(params, name)) return undefined;
    params[name] = value;
  }
  return params;
}

/**
 * Server side of the RPC signature: recomputes `Signature` over every other parameter of the
 * call (query and form body) and compares in constant time. Nonce reuse is the caller's check:
 * the verdict returns the nonce.
 */
export function verifyAliyunRpcSignature(
  req: HttpRequestToSign,
  lookupSecret: (accessKeyId: string) => string | undefined,
  opts: VerifyAliyunSignatureOptions = {},
): AliyunSignatureVerdict {
  if (!URL.canParse(req.url)) return { ok: false, reason: 'malformed', detail: 'the request URL cannot be parsed' };
  const params = aliyunRpcParams(req);
  if (!params) return { ok: false, reason: 'malformed', detail: 'a parameter is given twice' };
  const { Signature: signature, ...signed } = params;
  if (signature === undefined && signed.AccessKeyId === undefined) return { ok: false, reason: 'missing', detail: 'no Signature parameter' };

  const missing = ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Signature'].filter(
    (name) => !params[name],
  );
  if (missing.length > 0) return { ok: false, reason: 'malformed', detail: `missing ${missing.join(', ')}` };
  if (signed.SignatureMethod !== ALIYUN_RPC_SIGNATURE_METHOD || signed.SignatureVersion !== ALIYUN_RPC_SIGNATURE_VERSION) {
    return { ok: false, reason: 'malformed', detail: `only SignatureMethod=${ALIYUN_RPC_SIGNATURE_METHOD} and SignatureVersion=${ALIYUN_RPC_SIGNATURE_VERSION} are supported` };
  }
  const signedAt = parseAliyunTimestamp(signed.Timestamp);
  if (!signedAt) return { ok: false, reason: 'malformed-date', detail: 'Timestamp is not YYYY-MM-DDTHH:mm:ssZ' };

  const secret = lookupSecret(signed.AccessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown-key' };

  const now = opts.now ?? new Date();
  const maxSkewMs = (opts.maxSkewSeconds ?? DEFAULT_ALIYUN_MAX_SKEW_SECONDS) * 1000;
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs) return { ok: false, reason: 'stale-date' };

  const expected = Buffer.from(aliyunRpcSignature(req.method, signed, secret), 'latin1');
  const given = Buffer.from(signature, 'latin1');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad-signature' };
  return {
    ok: true,
    accessKeyId: signed.AccessKeyId,
    nonce: signed.SignatureNonce,
    signedAt,
    ...(signed.SecurityToken ? { securityToken: signed.SecurityToken } : {}),
  };
}
