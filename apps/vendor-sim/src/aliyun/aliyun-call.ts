import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { aliyunRpcParams, isFormContentType } from '#cloud-auth';
import type { AliyunCallContext, AliyunFormat } from './aliyun-errors.js';

/** One call to the Alibaba Cloud gateway, as read from the request (before authentication). */
export interface AliyunCall {
  /** From `x-acs-action` (V3) or the `Action` parameter (RPC). */
  action: string | undefined;
  version: string | undefined;
  /** Query and form-body parameters together; undefined when a name is given twice. */
  params: Record<string, string> | undefined;
  context: AliyunCallContext;
}

/** Parameters that sign a call rather than say what it asks: left out of the request id. */
const SIGNING_PARAMS = new Set(['Signature', 'SignatureNonce', 'Timestamp', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SecurityToken']);

/** Flattens Node's header object; a repeated header is joined the way Node itself joins it. */
export function receivedHeaders(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function receivedUrl(req: Request): string {
  return `http://${req.headers.host ?? 'localhost'}${req.originalUrl}`;
}

export function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Alibaba calls are the ones at `/` that name an action: a V3 header, or an RPC parameter (query or form). */
export function isAliyunCall(req: Request): boolean {
  if (req.path !== '/') return false;
  if (req.get('x-acs-action') !== undefined || typeof req.query.Action === 'string') return true;
  return isFormContentType(req.get('content-type')) && /(^|&)Action=/.test(rawBody(req).toString('latin1'));
}

/**
 * A request id shaped like the gateway's (an upper-case UUID). It is derived from the export
 * clock and what the call asked, not drawn at random: with the sim's clock fixed, the same call
 * answers the same bytes (tests of byte-level dedup); with the wall clock it changes every call.
 */
function requestIdFor(now: Date, method: string, params: Record<string, string> | undefined, action: string | undefined): string {
  const asked = Object.entries(params ?? {})
    .filter(([name]) => !SIGNING_PARAMS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hex = createHash('sha256')
    .update(JSON.stringify([now.toISOString(), method, action ?? '', asked]))
    .digest('hex')
    .toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function readAliyunCall(req: Request, product: string, now: Date): AliyunCall {
  const params = aliyunRpcParams({ method: req.method, url: receivedUrl(req), headers: receivedHeaders(req), body: rawBody(req) });
  const action = req.get('x-acs-action') ?? params?.Action;
  const version = req.get('x-acs-version') ?? params?.Version;
  const format: AliyunFormat = params?.Format?.toUpperCase() === 'XML' ? 'XML' : 'JSON';
  return {
    action,
    version,
    params,
    context: { requestId: requestIdFor(now, req.method, params, action), host: req.headers.host ?? 'localhost', format, product },
  };
}
