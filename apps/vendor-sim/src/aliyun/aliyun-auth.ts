import type { Request } from 'express';
import {
  looksLikeAliyunV3Request,
  verifyAliyunRpcSignature,
  verifyAliyunV3Signature,
  type AliyunSignatureFailure,
  type AliyunSignatureVerdict,
} from '#cloud-auth';
import { receivedHeaders, receivedUrl, rawBody } from './aliyun-call.js';
import type { AliyunErrorCode } from './aliyun-errors.js';
import type { NonceCache } from './nonce-cache.js';

/** An AccessKey the simulated gateway accepts; with `securityToken`, calls must carry that token (STS). */
export interface AliyunAccount {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** The Alibaba Cloud account (uid) the key belongs to: the CreatorId of what it creates. */
  accountId?: string;
}

/** The uid of accounts that do not name one (16 digits, like the vendor's). */
export const DEFAULT_ALIYUN_ACCOUNT_ID = '1234567890123456';

export interface AliyunAuthConfig {
  accounts: ReadonlyMap<string, AliyunAccount>;
  nonces: NonceCache;
  /** How far a request's timestamp may be from the server clock; default 15 minutes. */
  maxSkewSeconds?: number;
}

export type AliyunAuthOutcome = { ok: true; accessKeyId: string; accountId: string } | { ok: false; code: AliyunErrorCode; message?: string };

const FAILURE_CODES: Record<AliyunSignatureFailure, AliyunErrorCode> = {
  missing: 'IncompleteSignature',
  malformed: 'IncompleteSignature',
  'malformed-date': 'InvalidTimeStamp.Format',
  'unknown-key': 'InvalidAccessKeyId.NotFound',
  'stale-date': 'InvalidTimeStamp.Expired',
  'bad-signature': 'SignatureDoesNotMatch',
};

/**
 * Authenticates a call like the Alibaba Cloud gateway: signature V3 (an `ACS3-` Authorization
 * header) or the RPC signature (`Signature` and friends in the parameters); then the STS token
 * of temporary keys, then the nonce, which may serve once. The body must be the raw bytes.
 */
export function authenticateAliyunCall(req: Request, config: AliyunAuthConfig): AliyunAuthOutcome {
  const received = { method: req.method, url: receivedUrl(req), headers: receivedHeaders(req), body: rawBody(req) };
  const lookup = (accessKeyId: string) => config.accounts.get(accessKeyId)?.accessKeySecret;
  const options = { maxSkewSeconds: config.maxSkewSeconds };
  const verdict: AliyunSignatureVerdict = looksLikeAliyunV3Request(req.headers)
    ? verifyAliyunV3Signature(received, lookup, options)
    : verifyAliyunRpcSignature(received, lookup, options);
  if (!verdict.ok) {
    const code = FAILURE_CODES[verdict.reason];
    return { ok: false, code, message: verdict.detail && code === 'IncompleteSignature' ? `The request signature does not conform to Aliyun standards: ${verdict.detail}.` : undefined };
  }

  const account = config.accounts.get(verdict.accessKeyId)!;
  if ((account.securityToken ?? '') !== (verdict.securityToken ?? '')) return { ok: false, code: 'InvalidSecurityToken.MismatchWithAccessKey' };
  if (!config.nonces.use(verdict.accessKeyId, verdict.nonce, verdict.signedAt)) return { ok: false, code: 'SignatureNonceUsed' };
  return { ok: true, accessKeyId: verdict.accessKeyId, accountId: account.accountId ?? DEFAULT_ALIYUN_ACCOUNT_ID };
}
