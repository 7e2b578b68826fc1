import { createHash, createHmac } from 'node:crypto';
import { canonicalQuery, percentEncode, safeDecode } from './uri-encoding.js';

/**
 * Canonicalization for Alibaba Cloud signature V3 (`ACS3-HMAC-SHA256`), shared by the signer and
 * the verifier so that both sides can never disagree on what is signed.
 */
export const ALIYUN_V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** The headers a V3 request must sign (besides every other `x-acs-*` header it sends). */
export const ALIYUN_V3_REQUIRED_SIGNED_HEADERS = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
] as const;

export function aliyunHexSha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whether a header takes part in a V3 signature: `host`, `content-type` and every `x-acs-*`. */
export function isAliyunV3SignedHeader(lowerCaseName: string): boolean {
  return lowerCaseName === 'host' || lowerCaseName === 'content-type' || lowerCaseName.startsWith('x-acs-');
}


/** Each path segment decoded, then encoded as RFC 3986 says; RPC-style calls always sign `/`. */
export function aliyunCanonicalUri(pathname: string): string {
  if (pathname === '') return '/';
  return pathname
    .split('/')
    .map((segment) => percentEncode(safeDecode(segment)))
    .join('/');
}

/** Both vendors canonicalize the query the same way (see uri-encoding.ts). */
export const aliyunCanonicalQuery = canonicalQuery;

export interface AliyunV3CanonicalParts {
  method: string;
  /** Absolute URL: the path and query are taken from it. */
  url: string;
  /** Lower-case names, in `SignedHeaders` order, with their (trimmed) values. */
  signedHeaders: ReadonlyArray<readonly [string, string]>;
  /** Hex SHA-256 of the body, as sent in `x-acs-content-sha256`. */
  payloadHash: string;
}

export function buildAliyunV3CanonicalRequest(parts: AliyunV3CanonicalParts): string {
  const url = new URL(parts.url);
  const canonicalHeaders = parts.signedHeaders.map(([name, value]) => `${name}:${value.trim()}\n`).join('');
  return [
    parts.method.toUpperCase(),
    aliyunCanonicalUri(url.pathname),
    aliyunCanonicalQuery(url.search),
    canonicalHeaders,
    parts.signedHeaders.map(([name]) => name).join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function aliyunV3StringToSign(canonicalRequest: string): string {
  return `${ALIYUN_V3_ALGORITHM}\n${aliyunHexSha256(canonicalRequest)}`;
}

export function aliyunV3Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
}
