import { timingSafeEqual } from 'node:crypto';
import { parseAliyunTimestamp } from './aliyun-timestamp.js';
import {
  ALIYUN_V3_ALGORITHM,
  ALIYUN_V3_REQUIRED_SIGNED_HEADERS,
  aliyunHexSha256,
  aliyunV3Signature,
  aliyunV3StringToSign,
  buildAliyunV3CanonicalRequest,
} from './aliyun-v3-canonical-request.js';
import {
  DEFAULT_ALIYUN_MAX_SKEW_SECONDS,
  type AliyunSignatureVerdict,
  type VerifyAliyunSignatureOptions,
} from './aliyun-signature-verdict.js';
import type { HttpRequestToSign } from './http-request-to-sign.js';

const AUTHORIZATION_PATTERN = new RegExp(
  `^${ALIYUN_V3_ALGORITHM} +Credential=([^,\\s]+), *SignedHeaders=([^,\\s]+), *Signature=([0-9a-fA-F]{64})$`,
);

/** Lower-cases names and trims values; Node gives a repeated header as one joined value. */
function lowerCaseHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null) out.set(name.toLowerCase(), String(value).trim());
  }
  return out;
}

/** Whether a V3 request is one: it carries an `ACS3-` Authorization header. */
export function looksLikeAliyunV3Request(headers: Record<string, string | string[] | undefined>): boolean {
  const authorization = headers.authorization ?? headers.Authorization;
  return typeof authorization === 'string' && authorization.trimStart().startsWith('ACS3-');
}

/**
 * Server side of signature V3: parses `Authorization`, checks that the headers that must be
 * signed are, recomputes the signature and compares in constant time. `req.headers` are the
 * headers as received, `req.body` the raw bytes. Nonce reuse is the caller's check (it needs a
 * memory of past requests): the verdict returns the nonce.
 */
export function verifyAliyunV3Signature(
  req: HttpRequestToSign,
  lookupSecret: (accessKeyId: string) => string | undefined,
  opts: VerifyAliyunSignatureOptions = {},
): AliyunSignatureVerdict {
  if (!URL.canParse(req.url)) return { ok: false, reason: 'malformed', detail: 'the request URL cannot be parsed' };
  const headers = lowerCaseHeaders(req.headers);
  const authorization = headers.get('authorization');
  if (!authorization) return { ok: false, reason: 'missing', detail: 'no Authorization header' };

  const match = AUTHORIZATION_PATTERN.exec(authorization);
  if (!match) return { ok: false, reason: 'malformed', detail: `the Authorization header is not "${ALIYUN_V3_ALGORITHM} Credential=...,SignedHeaders=...,Signature=..."` };
  const [, accessKeyId, signedList, givenSignature] = match;
  const signedNames = signedList.split(';');
  if (signedNames.some((name) => name === '' || name !== name.toLowerCase()) || new Set(signedNames).size !== signedNames.length) {
    return { ok: false, reason: 'malformed', detail: 'SignedHeaders must list distinct lower-case names' };
  }
  const unsignedRequired = ALIYUN_V3_REQUIRED_SIGNED_HEADERS.filter((name) => !signedNames.includes(name));
  if (unsignedRequired.length > 0) return { ok: false, reason: 'malformed', detail: `SignedHeaders lacks ${unsignedRequired.join(', ')}` };

  const nonce = headers.get('x-acs-signature-nonce') ?? '';
  if (nonce === '') return { ok: false, reason: 'malformed', detail: 'x-acs-signature-nonce is empty' };

  const dateText = headers.get('x-acs-date') ?? '';
  const signedAt = parseAliyunTimestamp(dateText);
  if (!signedAt) return { ok: false, reason: 'malformed-date', detail: 'x-acs-date is not YYYY-MM-DDTHH:mm:ssZ' };

  const secret = lookupSecret(accessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown-key' };

  const now = opts.now ?? new Date();
  const maxSkewMs = (opts.maxSkewSeconds ?? DEFAULT_ALIYUN_MAX_SKEW_SECONDS) * 1000;
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs) return { ok: false, reason: 'stale-date' };

  // A header that would change the meaning of the call must be covered by the signature.
  for (const [name, value] of headers) {
    const mustBeSigned = name.startsWith('x-acs-') || (name === 'content-type' && value !== '');
    if (mustBeSigned && !signedNames.includes(name)) return { ok: false, reason: 'bad-signature', detail: `${name} is sent but not signed` };
  }
  const signedHeaders: [string, string][] = [];
  for (const name of signedNames) {
    const value = name === 'host' ? (headers.get('host') ?? new URL(req.url).host) : headers.get(name);
    if (value === undefined) return { ok: false, reason: 'bad-signature', detail: `signed header ${name} is not sent` };
    signedHeaders.push([name, value]);
  }
  const payloadHash = headers.get('x-acs-content-sha256') ?? '';
  if (payloadHash.toLowerCase() !== aliyunHexSha256(req.body ?? '')) {
    return { ok: false, reason: 'bad-signature', detail: 'x-acs-content-sha256 is not the hash of the body' };
  }

  const canonicalRequest = buildAliyunV3CanonicalRequest({ method: req.method, url: req.url, signedHeaders, payloadHash });
  const expected = aliyunV3Signature(secret, aliyunV3StringToSign(canonicalRequest));
  if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(givenSignature.toLowerCase(), 'latin1'))) {
    return { ok: false, reason: 'bad-signature' };
  }
  const securityToken = headers.get('x-acs-security-token');
  return {
    ok: true,
    accessKeyId,
    nonce,
    signedAt,
    ...(securityToken ? { securityToken } : {}),
  };
}
