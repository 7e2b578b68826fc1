import { createHash } from 'node:crypto';

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

/** RFC 3986 encoding: only unreserved characters stay as they are (encodeURIComponent also keeps !'()*). */
export function huaweiUriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes percent escapes but keeps a malformed escape as written rather than failing the request. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Each path segment decoded then re-encoded, so `/v1/中文` and `/v1/%E4%B8%AD%E6%96%87` (what the
 * server receives for the same request) canonicalize alike; always ends with `/`.
 */
export function huaweiCanonicalUri(pathname: string): string {
  const path = pathname === '' ? '/' : pathname;
  const encoded = path
    .split('/')
    .map((segment) => huaweiUriEncode(safeDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/**
 * Query parameters sorted by name, then by value for repeated names, both re-encoded. `+` reads
 * as a space, as servers decode forms (Go's url.ParseQuery, URLSearchParams): a literal plus
 * travels as `%2B`.
 */
export function huaweiCanonicalQuery(search: string): string {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [safeDecode(name.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))] as const;
    });
  pairs.sort(([an, av], [bn, bv]) => compareCodeUnits(an, bn) || compareCodeUnits(av, bv));
  return pairs.map(([name, value]) => `${huaweiUriEncode(name)}=${huaweiUriEncode(value)}`).join('&');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
