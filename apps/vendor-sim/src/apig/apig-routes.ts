import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { JsonObject } from '#catalog-model';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { sendHuaweiError } from '../huawei/errors.js';
import { sendHuaweiInjectedError } from '../huawei/injected-errors.js';
import { PER_PART_CACHE_ENTRIES, RenderCache } from '../render-cache.js';
import { ApigErrors, ApigRequestError, sendApigError } from './apig-errors.js';
import {
  APIG_EXPORT_TYPES,
  apigExportContentDisposition,
  exportVersionAt,
  serializeApigExport,
  serializeApigExportWithoutVersion,
  withExportVersion,
  type ApigExportType,
  type SerializedExport,
} from './apig-export-file.js';
import { readApigImportForm } from './apig-import-form.js';
import { apiGroupInfo, apiInfoPerPage, envInfo } from './apig-listings.js';
import { importApigDefinitions } from './apig-openapi-import.js';
import { APIG_DEFINES, OAS_VERSIONS, renderApigExport, type ApigDefine, type OasVersion } from './apig-openapi-export.js';
import { apigPageBody, apigPageOf } from './apig-paging.js';
import type { ApigState } from './apig-state.js';

/**
 * Route ids for fault injection. Exports are `apig.export.<group_id>`, so that a fault can hit one
 * group's exports (`route: 'apig.export.<group_id>'`) or all of them (`route: 'apig.export'`).
 */
export const APIG_ROUTES = {
  groups: 'apig.groups',
  envs: 'apig.envs',
  apis: 'apig.apis',
  export: 'apig.export',
  import: 'apig.import',
} as const;

export function apigExportRouteOf(groupId: string): string {
  return `${APIG_ROUTES.export}.${groupId}`;
}

export interface ApigRouteDeps {
  projectId: string;
  apig: ApigState;
  faults: FaultInjector;
  /** The export time: the default `version` of an export. */
  now: () => Date;
}

const INSTANCE_PATH = '/v2/:projectId/apigw/instances/:instanceId';
const JSON_TYPE = 'application/json;charset=UTF-8';

function faultyRoute(id: string): FaultyRoute {
  return { id, sendError: sendHuaweiInjectedError };
}

function jsonAnswer(body: unknown): RouteAnswer {
  return { headers: { 'Content-Type': JSON_TYPE }, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

/** Answers a call through the fault step: the healthy answer unless a fault is due. */
async function answer(deps: ApigRouteDeps, route: string, req: Request, res: Response, healthy: () => RouteAnswer): Promise<void> {
  let rendered: RouteAnswer | undefined;
  const render = () => (rendered ??= healthy());
  const outcome = await applyFaults(deps.faults, faultyRoute(route), req, res, render);
  if (!outcome.served) sendAnswer(res, render());
}

/** A shallow copy with `info.version` set: the cached document itself is never changed. */
function withVersion(document: JsonObject, version: string): JsonObject {
  return { ...document, info: { ...(document.info as JsonObject), version } };
}

function stringQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function requestBodyObject(req: Request): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApigRequestError({ status: 400, code: 'APIG.2011', message: 'The request body is not valid JSON. Please refer to the support documentation' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApigRequestError({ status: 400, code: 'APIG.2011', message: 'The request body must be a JSON object. Please refer to the support documentation' });
  }
  return parsed as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ApigRequestError(ApigErrors.invalidParameter(name));
}

function requiredString(value: unknown, name: string): string {
  if (value === undefined || value === null || value === '') throw new ApigRequestError(ApigErrors.missingParameter(name));
  if (typeof value !== 'string') throw new ApigRequestError(ApigErrors.invalidParameter(name));
  return value;
}

interface ExportCall {
  groupId: string;
  envId: string;
  define: ApigDefine;
  type: ApigExportType;
  oasVersion: OasVersion;
  version?: string;
  apiIds?: string[];
}

function exportCallOf(req: Request): ExportCall {
  const oasVersion = oneOf(req.query.oas_version, OAS_VERSIONS, '2.0', 'oas_version');
  const body = requestBodyObject(req);
  const envId = requiredString(body.env_id, 'env_id');
  const groupId = requiredString(body.group_id, 'group_id');
  const define = oneOf(body.define, APIG_DEFINES, 'spec', 'define');
  const type = oneOf(body.type, APIG_EXPORT_TYPES, 'json', 'type');
  if (body.version !== undefined && typeof body.version !== 'string') throw new ApigRequestError(ApigErrors.invalidParameter('version'));
  const apis = body.apis;
  if (apis !== undefined && (!Array.isArray(apis) || !apis.every((id) => typeof id === 'string'))) throw new ApigRequestError(ApigErrors.invalidParameter('apis'));
  return { groupId, envId, define, type, oasVersion, version: body.version, apiIds: apis as string[] | undefined };
}

/**
 * The APIG routes of the simulator (VENDORS.md section 2): the group, environment and API
 * listings a complete backup needs, the OpenAPI export, and its restore counterpart, the import.
 * Authentication happens before, in the gateway middleware.
 */
export function apigRouter(deps: ApigRouteDeps): Router {
  const { apig } = deps;
  const router = Router();
  // The serialized export without its version, until the estate changes: the version (the
  // export time) is spliced in at every call, so that benchmarks measure apivault, not us.
  const renderedExports = new RenderCache<{ document: JsonObject; serialized: SerializedExport | null }>(PER_PART_CACHE_ENTRIES);

  /** Project and instance first, like the vendor: an unknown instance is a 404 whatever the call. */
  const route =
    (handler: (req: Request, res: Response) => Promise<void> | void): RequestHandler =>
    async (req, res) => {
      if (req.params.projectId !== deps.projectId) {
        return sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
      }
      if (req.params.instanceId !== apig.instanceId) return sendApigError(res, ApigErrors.instanceNotFound(String(req.params.instanceId)));
      try {
        await handler(req, res);
      } catch (error) {
        if (error instanceof ApigRequestError) return sendApigError(res, error.error);
        throw error;
      }
    };

  router.get(
    `${INSTANCE_PATH}/api-groups`,
    route(async (req, res) => {
      const page = apigPageOf(req.query);
      const id = stringQuery(req.query.id);
      const name = stringQuery(req.query.name);
      const precise = stringQuery(req.query.precise_search) === 'name';
      const groups = apig
        .listGroups()
        .filter((g) => id === undefined || g.id === id)
        .filter((g) => name === undefined || (precise ? g.name === name : g.name.includes(name)));
      await answer(deps, APIG_ROUTES.groups, req, res, () => jsonAnswer(apigPageBody('groups', groups.map(apiGroupInfo), page)));
    }),
  );

  router.get(
    `${INSTANCE_PATH}/envs`,
    route(async (req, res) => {
      const page = apigPageOf(req.query);
      const name = stringQuery(req.query.name);
      const envs = apig.listEnvs().filter((e) => name === undefined || e.name.includes(name));
      await answer(deps, APIG_ROUTES.envs, req, res, () => jsonAnswer(apigPageBody('envs', envs.map(envInfo), page)));
    }),
  );

  router.get(
    `${INSTANCE_PATH}/apis`,
    route(async (req, res) => {
      const page = apigPageOf(req.query);
      const groupId = stringQuery(req.query.group_id);
      const envId = stringQuery(req.query.env_id);
      const id = stringQuery(req.query.id);
      const name = stringQuery(req.query.name);
      const env = envId === undefined ? undefined : apig.getEnv(envId);
      if (envId !== undefined && !env) throw new ApigRequestError(ApigErrors.environmentNotFound(envId));
      const apis = apig
        .listApis({ groupId, envId })
        .filter((a) => id === undefined || a.id === id)
        .filter((a) => name === undefined || a.name.includes(name));
      const infos = apis.map((a) => apiInfoPerPage(a, apig.getGroup(a.groupId), envId === undefined ? undefined : apig.publication(a.id, envId), env?.name));
      await answer(deps, APIG_ROUTES.apis, req, res, () => jsonAnswer(apigPageBody('apis', infos, page)));
    }),
  );

  const exportBytes = (call: ExportCall, version: string): Buffer => {
    const key = JSON.stringify([call.groupId, call.envId, call.define, call.oasVersion, call.type, call.apiIds ?? []]);
    const cached = renderedExports.get(key, apig.revision, () => {
      const document = renderApigExport(apig, { groupId: call.groupId, envId: call.envId, define: call.define, oasVersion: call.oasVersion, version: '', apiIds: call.apiIds });
      return { document, serialized: serializeApigExportWithoutVersion(document, call.type) };
    });
    return (cached.serialized && withExportVersion(cached.serialized, version)) ?? serializeApigExport(withVersion(cached.document, version), call.type);
  };

  router.post(
    `${INSTANCE_PATH}/openapi/export`,
    route(async (req, res) => {
      const call = exportCallOf(req);
      const group = apig.getGroup(call.groupId);
      if (!group) throw new ApigRequestError(ApigErrors.groupNotFound(call.groupId));
      const env = apig.getEnv(call.envId);
      if (!env) throw new ApigRequestError(ApigErrors.environmentNotFound(call.envId));
      const version = call.version ?? exportVersionAt(deps.now());
      await answer(deps, apigExportRouteOf(group.id), req, res, () => ({
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': apigExportContentDisposition(group.name, env.name, call.define, call.type),
        },
        body: exportBytes(call, version),
      }));
    }),
  );

  router.post(
    `${INSTANCE_PATH}/openapi/import`,
    route(async (req, res) => {
      const form = await readApigImportForm(req);
      // Imported only when answered healthily (or cut mid-body): a status fault changes nothing.
      await answer(deps, APIG_ROUTES.import, req, res, () => jsonAnswer(importApigDefinitions(apig, form)));
    }),
  );

  return router;
}
