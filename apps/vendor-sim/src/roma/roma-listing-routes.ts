import { Router, type Request, type Response } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { huaweiInjectedErrorSender } from '../huawei/injected-errors.js';
import { RomaErrors } from './roma-errors.js';
import { FILTERABLE_STATUS_CODES, LIVEDATA_STATUS_CODES, type LiveDataApi, type RomaApp } from './roma-model.js';
import { pagingOf, queryText, textMatcher } from './roma-request.js';
import type { RomaState } from './roma-state.js';

/** Route ids for fault injection. */
export const ROMA_APPS_ROUTE = 'roma.apps';
export const ROMA_LIVEDATA_APIS_ROUTE = 'roma.livedata-apis';

export interface RomaListingDeps {
  roma: RomaState;
  faults: FaultInjector;
}

/** ROMA's management calls sit behind the same gateway as APIG's, whose error codes they use. */
const sendInjectedError = huaweiInjectedErrorSender('APIG');

/** The vendor shows app secrets masked in listings (its example: `416**********ab8`). */
export function maskedSecret(secret: string): string {
  return secret.length <= 6 ? '******' : `${secret.slice(0, 3)}**********${secret.slice(-3)}`;
}

/** Deterministic small count of API authorizations: unrelated to custom backends, as on the vendor. */
function bindCount(app: RomaApp): number {
  return parseInt(app.appKey.slice(0, 2), 16) % 6;
}

/** AppInfoWithBindNum (confirmed fields of ListAppsV2). */
function appInfo(app: RomaApp) {
  return {
    id: app.id,
    name: app.name,
    remark: app.remark,
    creator: 'USER',
    update_time: app.updatedAt,
    app_key: app.appKey,
    app_secret: maskedSecret(app.appSecret),
    register_time: app.createdAt,
    status: 1,
    app_type: 'apig',
    roma_app_type: 'integration',
    bind_num: bindCount(app),
  };
}

/** LdApiInfo (fields of ListLiveDataApiV2 / ShowLiveDataApiV2; `parameters` and `scripts` item layouts are our decision). */
function liveDataApiInfo(api: LiveDataApi, roma: RomaState) {
  return {
    id: api.id,
    name: api.name,
    path: api.path,
    method: api.method,
    description: api.description,
    version: api.version,
    content_type: 'json',
    api_signature_id: api.signatureId ?? '',
    roma_app_id: api.appId,
    roma_app_name: roma.app(api.appId)?.name ?? '',
    return_format: false,
    parameters: api.parameters.map((p) => ({ name: p.name, location: p.in, type: p.type.toUpperCase(), required: p.required, description: p.description })),
    scripts: api.scripts.map((s) => ({
      ds_name: s.datasources[0] ?? '',
      type: s.type,
      object_name: s.result,
      content: Buffer.from(s.content, 'utf8').toString('base64'),
    })),
    instance: roma.instanceId,
    type: api.scripts.some((s) => s.type === 'function') ? 'function' : 'data',
    status: LIVEDATA_STATUS_CODES[api.status],
    created_time: api.createdAt,
    modified_time: api.updatedAt,
  };
}

function jsonAnswer(body: unknown): RouteAnswer {
  return { headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body: Buffer.from(JSON.stringify(body)) };
}

async function answer(res: Response, req: Request, faults: FaultInjector, route: FaultyRoute, body: () => unknown): Promise<void> {
  const healthy = () => jsonAnswer(body());
  const outcome = await applyFaults(faults, route, req, res, healthy);
  if (!outcome.served) sendAnswer(res, healthy());
}

/**
 * `GET .../apps` (ListAppsV2) and `GET .../livedata-apis` (ListLiveDataApiV2): paged listings,
 * `{total, size, apps|apis}`. The livedata listing filtered by `app_id` is what tells a client
 * how many custom backends an application holds (`total`).
 */
export function romaListingRouter(deps: RomaListingDeps): Router {
  const router = Router({ mergeParams: true });
  const appsRoute: FaultyRoute = { id: ROMA_APPS_ROUTE, sendError: sendInjectedError };
  const apisRoute: FaultyRoute = { id: ROMA_LIVEDATA_APIS_ROUTE, sendError: sendInjectedError };

  router.get('/apps', async (req, res) => {
    const paging = pagingOf(req);
    if (!paging.ok) return RomaErrors.invalidParameter(res, paging.parameter);
    const id = queryText(req, 'id');
    const name = textMatcher(req, 'name');
    const appKey = queryText(req, 'app_key');
    const matching = deps.roma.apps().filter((app) => (id === undefined || app.id === id) && name(app.name) && (appKey === undefined || app.appKey === appKey));
    const page = matching.slice(paging.offset, paging.offset + paging.limit);
    await answer(res, req, deps.faults, appsRoute, () => ({ total: matching.length, size: page.length, apps: page.map(appInfo) }));
  });

  router.get('/livedata-apis', async (req, res) => {
    const paging = pagingOf(req);
    if (!paging.ok) return RomaErrors.invalidParameter(res, paging.parameter);
    const status = queryText(req, 'status');
    if (status !== undefined && !(FILTERABLE_STATUS_CODES as readonly number[]).includes(Number(status))) {
      return RomaErrors.invalidParameter(res, 'status', 'supported values: 1, 3, 4');
    }
    const appId = queryText(req, 'app_id');
    const appName = textMatcher(req, 'app_name');
    const name = textMatcher(req, 'name');
    const path = textMatcher(req, 'path');
    const appNames = new Map(deps.roma.apps().map((app) => [app.id, app.name]));
    const matching = deps.roma
      .apis({ appId, statusCode: status === undefined ? undefined : Number(status) })
      .filter((api) => appName(appNames.get(api.appId) ?? '') && name(api.name) && path(api.path));
    const page = matching.slice(paging.offset, paging.offset + paging.limit);
    await answer(res, req, deps.faults, apisRoute, () => ({ total: matching.length, size: page.length, apis: page.map((api) => liveDataApiInfo(api, deps.roma)) }));
  });
  return router;
}
