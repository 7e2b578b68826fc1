import express, { type ErrorRequestHandler, type Express } from 'express';
import { dlfExportRouter } from './dlf/export-route.js';
import type { DlfState } from './dlf/dlf-state.js';
import type { FaultInjector } from './faults.js';
import { huaweiAuthMiddleware, type HuaweiAuthConfig } from './huawei/auth-middleware.js';
import { sendHuaweiError } from './huawei/errors.js';
import { requestLogMiddleware, type LoggedRequest } from './request-log.js';
import { simControlRouter } from './sim-control-routes.js';

export interface VendorSimAppDeps {
  projectId: string;
  seed: number;
  dlf: DlfState;
  faults: FaultInjector;
  auth: HuaweiAuthConfig;
  requestLog: LoggedRequest[];
  /** The export time stamped into every export (zip entry times, workbook dates, APIG version). */
  now: () => Date;
}

/** Largest request body a vendor route reads; the real gateway's limit is of the same order. */
const MAX_VENDOR_BODY = '12mb';

/**
 * The simulator's express app: the `/_sim/` control API first (unauthenticated), then every
 * vendor route behind the Huawei gateway emulation (raw body, then authentication).
 */
export function createVendorSimApp(deps: VendorSimAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Express ETags would hide what a real export sends; the export's own bytes are what count.
  app.set('etag', false);

  app.use('/_sim', simControlRouter(deps));

  app.use(requestLogMiddleware(deps.requestLog));
  // Raw bytes for every content type: the AK/SK signature covers the body exactly as sent.
  app.use(express.raw({ type: () => true, limit: MAX_VENDOR_BODY }));
  app.use(huaweiAuthMiddleware(deps.auth));
  app.use(dlfExportRouter(deps));
  app.use((_req, res) => {
    sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
  });

  const errorHandler: ErrorRequestHandler = (error: { status?: number; message?: string }, req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (req.originalUrl.startsWith('/_sim')) return void res.status(status).json({ error: error.message ?? 'error' });
    if (status === 500) return sendHuaweiError(res, 'systemError', 'System error. Try again later.');
    res.status(status).json({ error_code: 'APIG.2001', error_msg: error.message ?? 'Bad request' });
  };
  app.use(errorHandler);
  return app;
}
