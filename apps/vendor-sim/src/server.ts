import express, { type ErrorRequestHandler, type Express } from 'express';
import { apigRouter } from './apig/apig-routes.js';
import type { ApigState } from './apig/apig-state.js';
import { dlfExportRouter } from './dlf/export-route.js';
import { dlfImportRouter } from './dlf/import-route.js';
import { dataServiceRouter } from './dataservice/dataservice-router.js';
import type { DataServiceState } from './dataservice/dataservice-state.js';
import type { DlfState } from './dlf/dlf-state.js';
import type { AliyunAuthConfig } from './aliyun/aliyun-auth.js';
import { dataWorksGatewayRouter } from './dataworks/dataworks-gateway.js';
import type { DataWorksState } from './dataworks/dataworks-state.js';
import type { EstateCensus } from './estate-census.js';
import type { FaultInjector } from './faults.js';
import { huaweiAuthMiddleware, type HuaweiAuthConfig } from './huawei/auth-middleware.js';
import type { IamState } from './iam/iam-state.js';
import { iamTokenRouter } from './iam/iam-token-route.js';
import { romaRouter } from './roma/roma-router.js';
import type { RomaState } from './roma/roma-state.js';
import { sendHuaweiError } from './huawei/errors.js';
import { requestLogMiddleware, type LoggedRequest } from './request-log.js';
import { simControlRouter } from './sim-control-routes.js';
import { simControlDisabled } from './sim-control-gate.js';

export interface VendorSimAppDeps {
  projectId: string;
  seed: number;
  dlf: DlfState;
  dataService: DataServiceState;
  faults: FaultInjector;
  auth: HuaweiAuthConfig;
  /** IAM users and issued tokens; `POST /v3/auth/tokens` is served before authentication. */
  iam: IamState;
  /** The project name (region) IAM tokens may be scoped to, besides the project id. */
  projectName: string;
  roma: RomaState;
  apig: ApigState;
  /** DataWorks workspaces and APIs, served at `/` behind the Alibaba gateway emulation. */
  dataworks: DataWorksState;
  /** AccessKeys the Alibaba gateway accepts, and its memory of signature nonces. */
  aliyunAuth: AliyunAuthConfig;
  requestLog: LoggedRequest[];
  /** The export time stamped into every export (zip entry times, workbook dates, APIG version). */
  now: () => Date;
  /** Serves the `/_sim/` control API; off (404) unless set. */
  admin?: boolean;
  /** Counts each vendor's estate, for `GET /_sim/estate`. */
  census?: EstateCensus;
}

/** Largest request body a vendor route reads; the real gateway's limit is of the same order. */
const MAX_VENDOR_BODY = '12mb';

/**
 * The simulator's express app: the `/_sim/` control API first (unauthenticated, off unless `admin`), then every
 * vendor route behind the Huawei gateway emulation (raw body, then authentication).
 */
export function createVendorSimApp(deps: VendorSimAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Express ETags would hide what a real export sends; the export's own bytes are what count.
  app.set('etag', false);

  app.use('/_sim', deps.admin ? simControlRouter(deps) : simControlDisabled());

  app.use(requestLogMiddleware(deps.requestLog));
  // Raw bytes for every content type: the AK/SK signature covers the body exactly as sent.
  app.use(express.raw({ type: () => true, limit: MAX_VENDOR_BODY }));
  // IAM's login is how a client gets a token: it cannot sit behind the token check.
  app.use(iamTokenRouter(deps));
  // Alibaba calls (`/` with an action) get Alibaba authentication and errors; the rest go on to Huawei's.
  app.use(dataWorksGatewayRouter(deps));
  app.use(huaweiAuthMiddleware(deps.auth));
  app.use(dlfExportRouter(deps));
  app.use(dlfImportRouter(deps));
  app.use(romaRouter(deps));
  app.use(apigRouter(deps));
  app.use(dataServiceRouter(deps));
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
