import type { RequestHandler } from 'express';

export interface LoggedRequest {
  method: string;
  path: string;
  /** The status sent; for a connection reset mid-body, the status the headers announced. */
  status: number;
}

/** Records every vendor call once it is answered (or broken off), for tests to assert on. */
export function requestLogMiddleware(log: LoggedRequest[]): RequestHandler {
  return (req, res, next) => {
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      log.push({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode });
    };
    // 'finish' comes before the client can have read the whole body; 'close' covers resets.
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
