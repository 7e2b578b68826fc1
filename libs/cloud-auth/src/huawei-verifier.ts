import { timingSafeEqual } from 'node:crypto';
import type { HttpRequestToSign } from './http-request-to-sign.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  CONTENT_SHA256_HEADER,
  hexSha256,
  HUAWEI_SIGNING_ALGORITHM,
  normalizeHeaders,
  payloadHashFor,
} from './huawei-canonical-request.js';
import { parseSdkDate } from './huawei-sdk-date.js';
import { huaweiSignature } from './huawei-signer.js';

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export type HuaweiSignatureFailure = 'missing' | 'malformed' | 'unknown-key' | 'stale-date' | 'bad-signature';

export type HuaweiSignatureVerdict = { ok: true; accessKeyId: string } | { ok: false; reason: HuaweiSignatureFailure };

export interface VerifyHuaweiSignatureOptions {
  now?: Date;
  /** How far `X-Sdk-Date` may be from the server clock, either way; APIG allows 15 minutes. */
  maxSkewSeconds?: number;
}

const AUTHORIZATION_PATTERN = new RegExp(
  `^${HUAWEI_SIGNING_ALGORITHM} +Access=([^,\\s]+), *SignedHeaders=([^,\\s]+), *Signature=([0-9a-fA-F]{64})$`,
);

interface ParsedAuthorization {
  accessKeyId: string;
  signedHeaderNames: string[];
  signature: string;
}

function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = AUTHORIZATION_PATTERN.exec(header.trim());
  if (!match) return undefined;
  const signedHeaderNames = match[2].split(';');
  if (signedHeaderNames.some((name) => name === '' || name !== name.toLowerCase())) return undefined;
  return { accessKeyId: match[1], signedHeaderNames, signature: match[3].toLowerCase() };
}

/**
 * Server side of `SDK-HMAC-SHA256`: parses `Authorization`, recomputes the signature over the
 * headers it names, and compares in constant time. `req.headers` should be the headers as
 * received (Node lower-cases them) and `req.body` the raw bytes.
 */
export function verifyHuaweiSignature(
  req: HttpRequestToSign,
  lookupSecret: (accessKeyId: string) => string | undefined,
  opts: VerifyHuaweiSignatureOptions = {},
): HuaweiSignatureVerdict {
  if (!URL.canParse(req.url)) return { ok: false, reason: 'malformed' };
  const headers = normalizeHeaders(req.headers);
  const authorization = headers.get('authorization');
  if (!authorization) return { ok: false, reason: 'missing' };

  const parsed = parseAuthorization(authorization);
  const sdkDateText = headers.get('x-sdk-date');
  const sdkDate = sdkDateText === undefined ? undefined : parseSdkDate(sdkDateText);
  // host is always signed: a signature that does not bind the host could be replayed elsewhere.
  if (!parsed || !sdkDate || !sdkDateText || !parsed.signedHeaderNames.includes('host')) {
    return { ok: false, reason: 'malformed' };
  }

  const secret = lookupSecret(parsed.accessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown-key' };

  const now = opts.now ?? new Date();
  const maxSkewMs = (opts.maxSkewSeconds ?? 900) * 1000;
  if (Math.abs(now.getTime() - sdkDate.getTime()) > maxSkewMs) return { ok: false, reason: 'stale-date' };

  const signedHeaders = new Map<string, string>();
  for (const name of parsed.signedHeaderNames) {
    const value = name === 'host' ? (headers.get('host') ?? new URL(req.url).host) : headers.get(name);
    if (value === undefined) return { ok: false, reason: 'bad-signature' };
    signedHeaders.set(name, value);
  }
  // A declared payload hash only counts when signed (it is looked up among the signed headers).
  // `UNSIGNED-PAYLOAD` is accepted as APIG does (the SDK sends it for non-JSON bodies); any other
  // declared value must really be the body's hash, or an altered body would pass.
  const payloadHash = payloadHashFor(req.body, signedHeaders);
  if (signedHeaders.has(CONTENT_SHA256_HEADER) && payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== hexSha256(req.body ?? '')) {
    return { ok: false, reason: 'bad-signature' };
  }
  const canonicalRequest = buildCanonicalRequest({ method: req.method, url: req.url, signedHeaders, payloadHash });
  const expected = huaweiSignature(secret, buildStringToSign(sdkDateText, canonicalRequest));
  const matches = timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(parsed.signature, 'latin1'));
  return matches ? { ok: true, accessKeyId: parsed.accessKeyId } : { ok: false, reason: 'bad-signature' };
}
