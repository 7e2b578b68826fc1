import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { verifyHuaweiSignature, type HuaweiSignatureFailure } from '#cloud-auth';
import { sendHuaweiError } from './errors.js';

export interface HuaweiAuthConfig {
  accounts: ReadonlyMap<string, string>;
  tokens: readonly string[];
  /** Tokens the simulated IAM issued (`POST /v3/auth/tokens`): accepted until they expire. */
  issuedTokens?: { verify(token: string): 'valid' | 'expired' | 'unknown' };
  maxSkewSeconds?: number;
}

/** Messages in the wording of the real gateway where it is known (APIG FAQ), ours otherwise. */
const SIGNATURE_FAILURE_MESSAGES: Record<HuaweiSignatureFailure, string> = {
  missing: 'Incorrect IAM authentication information: Authorization header not found',
  malformed: 'Incorrect IAM authentication information: the Authorization or X-Sdk-Date header is malformed',
  'unknown-key': 'Incorrect IAM authentication information: Get secretKey failed, err:ak not exist',
  'stale-date': 'Incorrect IAM authentication information: X-Sdk-Date is expired',
  'bad-signature': 'Incorrect IAM authentication information: verify aksk signature fail',
};

function constantTimeIncludes(candidates: readonly string[], value: string): boolean {
  const given = Buffer.from(value);
  let found = false;
  for (const candidate of candidates) {
    const expected = Buffer.from(candidate);
    // Compare every candidate even after a match so timing does not reveal which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = true;
  }
  return found;
}

/** Flattens Node's header object; duplicated headers are joined the way Node itself joins them. */
function receivedHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Authenticates a vendor call like the Huawei API gateway: `X-Auth-Token` (an IAM token) or an
 * `SDK-HMAC-SHA256` signature. The body must already be the raw bytes (express.raw), because the
 * signature covers them exactly; the Host the client signed is the Host header the server sees.
 */
export function huaweiAuthMiddleware(config: HuaweiAuthConfig): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const token = req.get('x-auth-token');
    if (token !== undefined) {
      if (constantTimeIncludes(config.tokens, token)) return next();
      const issued = config.issuedTokens?.verify(token);
      if (issued === 'valid') return next();
      if (issued === 'expired') return sendHuaweiError(res, 'authFailed', 'Incorrect IAM authentication information: the token has expired');
      return sendHuaweiError(res, 'authFailed', 'Incorrect IAM authentication information: decrypt token fail');
    }
    const verdict = verifyHuaweiSignature(
      {
        method: req.method,
        url: `http://${req.headers.host ?? 'localhost'}${req.originalUrl}`,
        headers: receivedHeaders(req),
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      },
      (accessKeyId) => config.accounts.get(accessKeyId),
      { maxSkewSeconds: config.maxSkewSeconds },
    );
    if (verdict.ok) return next();
    sendHuaweiError(res, 'authFailed', SIGNATURE_FAILURE_MESSAGES[verdict.reason]);
  };
}
