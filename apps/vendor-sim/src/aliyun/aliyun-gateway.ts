import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { authenticateAliyunCall, type AliyunAuthConfig } from './aliyun-auth.js';
import { isAliyunCall, readAliyunCall, type AliyunCall } from './aliyun-call.js';
import { sendAliyunError } from './aliyun-errors.js';
import type { AliyunThrottle } from './aliyun-throttle.js';

/** An authenticated call, handed to the action that serves it. */
export interface AuthenticatedAliyunCall extends AliyunCall {
  params: Record<string, string>;
  action: string;
  accessKeyId: string;
  /** The caller's account uid. */
  accountId: string;
}

/** One OpenAPI action of a product (e.g. DataWorks' ListDataServiceApis, version 2020-05-18). */
export interface AliyunAction {
  /** Product code, as in the troubleshooting links: `dataworks-public`. */
  product: string;
  version: string;
  handle(call: AuthenticatedAliyunCall, req: Request, res: Response): void | Promise<void>;
}

export interface AliyunGatewayDeps {
  auth: AliyunAuthConfig;
  throttle: AliyunThrottle;
  /** Actions by name. */
  actions: ReadonlyMap<string, AliyunAction>;
  /** The clock request ids are derived from (the simulator's export clock). */
  now: () => Date;
}

const DEFAULT_PRODUCT = 'dataworks-public';

/**
 * The Alibaba Cloud OpenAPI gateway at `/`: takes the calls that name an action (`x-acs-action`
 * or `Action`), checks their signature, version and flow control, and hands them to the action.
 * Any other request goes on to the Huawei routes. Mounted after the raw-body parser.
 */
export function aliyunGatewayRouter(deps: AliyunGatewayDeps): Router {
  const router = Router();
  router.all('/', async (req, res, next) => {
    if (!isAliyunCall(req)) return next();
    const named = readAliyunCall(req, DEFAULT_PRODUCT, deps.now());
    const action = named.action === undefined ? undefined : deps.actions.get(named.action);
    const call = action ? { ...named, context: { ...named.context, product: action.product } } : named;
    res.locals.aliyunCall = call;
    if (!call.params) return sendAliyunError(res, call.context, 'InvalidParameter', 'A parameter is given more than once.');

    const auth = authenticateAliyunCall(req, deps.auth);
    if (!auth.ok) return sendAliyunError(res, call.context, auth.code, auth.message);
    if (!action || call.action === undefined) return sendAliyunError(res, call.context, 'InvalidAction.NotFound');
    if (call.version !== action.version) return sendAliyunError(res, call.context, 'InvalidVersion');
    const throttled = deps.throttle.admit(auth.accessKeyId, call.action);
    if (throttled) {
      if (throttled.retryAfterSeconds !== undefined) res.set('Retry-After', String(throttled.retryAfterSeconds));
      return sendAliyunError(res, call.context, throttled.code);
    }

    await action.handle({ ...call, params: call.params, action: call.action, accessKeyId: auth.accessKeyId, accountId: auth.accountId }, req, res);
  });

  const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const call = res.locals.aliyunCall as AliyunCall | undefined;
    if (!call || res.headersSent) return next(error);
    sendAliyunError(res, call.context, 'InternalError.System');
  };
  router.use(errorHandler);
  return router;
}
