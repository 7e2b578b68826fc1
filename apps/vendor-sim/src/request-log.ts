import type { RequestHandler } from 'express';

/** The vendors a call can be addressed to, by the names of `GET /_sim/estate`; `iam` for token logins. */
export type SimVendor = 'dlf' | 'dataservice' | 'roma' | 'apig' | 'dataworks' | 'iam';

export interface LoggedRequest {
  method: string;
  path: string;
  /** The status sent; for a connection reset mid-body, the status the headers announced. */
  status: number;
  /** When the request arrived, ms since the epoch: what a rate limit is measured on. */
  receivedAt: number;
  /** Which vendor the call was addressed to; absent for a path no vendor has. */
  vendor?: SimVendor;
  /** The `Retry-After` sent with the answer, as sent. */
  retryAfter?: string;
}

/** Path shapes of each vendor's routes (the Huawei ones under `/{version}/{project_id}/`). */
const HUAWEI_VENDOR_PATHS: ReadonlyArray<[RegExp, SimVendor]> = [
  [/^\/v3\/auth\/tokens$/, 'iam'],
  [/^\/v1\/[^/]+\/connections\//, 'dlf'],
  [/^\/v1\/[^/]+\/service\//, 'dataservice'],
  [/^\/v2\/[^/]+\/apigw\//, 'apig'],
  [/^\/v2\/[^/]+\/apic\//, 'roma'],
];

/** Alibaba calls all go to `/`; the gateway marks the ones that name an action (res.locals.aliyunCall). */
export function vendorOfCall(path: string, isAliyunCall: boolean): SimVendor | undefined {
  if (path === '/') return isAliyunCall ? 'dataworks' : undefined;
  return HUAWEI_VENDOR_PATHS.find(([pattern]) => pattern.test(path))?.[1];
}

/** Records every vendor call once it is answered (or broken off), for tests to assert on. */
export function requestLogMiddleware(log: LoggedRequest[]): RequestHandler {
  return (req, res, next) => {
    const receivedAt = Date.now();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const path = req.originalUrl.split('?')[0];
      const vendor = vendorOfCall(path, res.locals.aliyunCall !== undefined);
      const retryAfter = res.getHeader('retry-after');
      log.push({
        method: req.method,
        path,
        status: res.statusCode,
        receivedAt,
        ...(vendor ? { vendor } : {}),
        ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}),
      });
    };
    // 'finish' comes before the client can have read the whole body; 'close' covers resets.
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
