import { createHash } from 'node:crypto';
import { canonicalQuery, compareCodeUnits, percentEncode, safeDecode } from './uri-encoding.js';

/**
 * Canonicalization for Huawei Cloud `SDK-HMAC-SHA256` (APIG AK/SK signing). Shared by the signer
 * and the verifier so both sides can never disagree on what is signed.
 */
export const HUAWEI_SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** The header that lets a client declare the payload hash itself (the SDK sends `UNSIGNED-PAYLOAD`). */
export const CONTENT_SHA256_HEADER = 'x-sdk-content-sha256';

export function hexSha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Each path segment decoded then re-encoded, so `/v1/中文` and `/v1/%E4%B8%AD%E6%96%87` (what the
 * server receives for the same request) canonicalize alike; always ends with `/`.
 */
export function huaweiCanonicalUri(pathname: string): string {
  const path = pathname === '' ? '/' : pathname;
  const encoded = path
    .split('/')
    .map((segment) => percentEncode(safeDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Both vendors canonicalize the query the same way (see uri-encoding.ts). */
export const huaweiCanonicalQuery = canonicalQuery;


/** Lower-cases names and trims values; a header given twice under different cases keeps the last. */
export function normalizeHeaders(headers: Record<string, string>): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    normalized.set(name.toLowerCase(), String(value).trim());
  }
  return normalized;
}

export interface CanonicalRequestParts {
  method: string;
  /** Absolute URL: the path and query are taken from it. */
  url: string;
  /** Lower-case names and values of exactly the headers that are signed. */
  signedHeaders: Map<string, string>;
  payloadHash: string;
}

/** Signed header names, lower-case, sorted, joined by `;` as they appear in `SignedHeaders=`. */
export function signedHeaderList(signedHeaders: Map<string, string>): string[] {
  return [...signedHeaders.keys()].sort(compareCodeUnits);
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const url = new URL(parts.url);
  const names = signedHeaderList(parts.signedHeaders);
  const canonicalHeaders = names.map((name) => `${name}:${parts.signedHeaders.get(name)}\n`).join('');
  return [
    parts.method.toUpperCase(),
    huaweiCanonicalUri(url.pathname),
    huaweiCanonicalQuery(url.search),
    canonicalHeaders,
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function buildStringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${HUAWEI_SIGNING_ALGORITHM}\n${sdkDate}\n${hexSha256(canonicalRequest)}`;
}

/** The body hash, unless the client declared one in `X-Sdk-Content-Sha256` (then that value is signed). */
export function payloadHashFor(body: Buffer | string | undefined, headers: Map<string, string>): string {
  return headers.get(CONTENT_SHA256_HEADER) ?? hexSha256(body ?? '');
}
