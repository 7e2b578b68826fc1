import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { huaweiInjectedErrorSender } from '../huawei/injected-errors.js';
import { importedOperations, readSwaggerFile, SwaggerImportError, type ImportedOperation, type ImportedSignature } from './livedata-swagger-import.js';
import { RomaErrors } from './roma-errors.js';
import { ROMA_IMPORT_MAX_BYTES, type LiveDataApi, type RomaApp } from './roma-model.js';
import type { RomaState } from './roma-state.js';

/** Route id for fault injection. */
export const ROMA_IMPORT_ROUTE = 'roma.import';

export interface RomaImportDeps {
  roma: RomaState;
  faults: FaultInjector;
  now: () => Date;
}

interface ImportReport {
  success: { id: string; name: string; method: string; path: string; action: 'create' | 'update' }[];
  failure: { name?: string; method: string; path: string; error_code: string; error_msg: string }[];
  ignore: { name: string; method: string; path: string }[];
}

/**
 * The multipart form, read with the platform's own parser (undici's FormData): the gateway has
 * already taken the raw bytes, which the signature covers.
 */
async function formOf(req: Request): Promise<FormData | undefined> {
  const contentType = req.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType) || !Buffer.isBuffer(req.body)) return undefined;
  try {
    return await new Response(new Uint8Array(req.body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

function newApiId(roma: RomaState, method: string, path: string): string {
  return createHash('sha256').update(`${roma.instanceId}\u0000${method} ${path}\u0000${roma.version}`).digest('hex').slice(0, 32);
}

function resolveApp(roma: RomaState, formAppId: string | undefined, fromFile: string | undefined): RomaApp | undefined {
  if (formAppId !== undefined) return roma.app(formAppId);
  if (fromFile === undefined) return undefined;
  return roma.apps().find((app) => app.name === fromFile || app.id === fromFile);
}

/** By name; a signature key the instance lacks is created when the file carries its key and secret. */
function resolveSignature(roma: RomaState, wanted: ImportedSignature): string {
  const existing = roma.signatures().find((s) => s.name === wanted.name);
  if (existing) return existing.id;
  if (!wanted.key || !wanted.secret) throw new SwaggerImportError(`signature key ${wanted.name} does not exist and the file gives no key and secret`);
  const id = createHash('sha256').update(`signature\u0000${wanted.name}`).digest('hex').slice(0, 32);
  roma.upsertSignature({ id, name: wanted.name, key: wanted.key, secret: wanted.secret });
  return id;
}

function importOne(roma: RomaState, operation: ImportedOperation, formAppId: string | undefined, override: boolean, now: string, report: ImportReport): void {
  if (!operation.ok) {
    report.failure.push({ name: operation.name, method: operation.method, path: operation.path, error_code: 'APIG.2011', error_msg: operation.message });
    return;
  }
  const { definition } = operation;
  const where = { name: definition.name, method: definition.method, path: definition.path };
  const app = resolveApp(roma, formAppId, operation.app);
  if (!app) {
    report.failure.push({ ...where, error_code: 'APIG.3004', error_msg: `The app does not exist: ${formAppId ?? operation.app ?? '(none given)'}` });
    return;
  }
  const existing = roma.apis().find((api) => api.method === definition.method && api.path === definition.path);
  if (existing && !override) {
    report.ignore.push(where);
    return;
  }
  try {
    const signatureId = operation.signature ? resolveSignature(roma, operation.signature) : null;
    const api: LiveDataApi = {
      ...definition,
      id: existing?.id ?? newApiId(roma, definition.method, definition.path),
      appId: app.id,
      signatureId,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    roma.upsertApi(api);
    report.success.push({ id: api.id, ...where, action: existing ? 'update' : 'create' });
  } catch (error) {
    report.failure.push({ ...where, error_code: 'APIG.2011', error_msg: (error as Error).message });
  }
}

/**
 * `POST .../openapi/livedata-apis/import`: a multipart `file` (Swagger 2.0 only, 3 MB at most:
 * confirmed), optional `app_id` (bind every backend to that application; otherwise each
 * operation's `x-livedata-roma-app`, by name or id) and `override` (`true` replaces a backend with
 * the same method and path; default: it is ignored). The field names and the answer
 * `{success[], failure[], ignore[]}` mirror APIG's import: our decision.
 */
export function romaImportRouter(deps: RomaImportDeps): Router {
  const router = Router({ mergeParams: true });
  const route: FaultyRoute = { id: ROMA_IMPORT_ROUTE, sendError: huaweiInjectedErrorSender('APIG') };

  router.post('/openapi/livedata-apis/import', async (req, res) => {
    const form = await formOf(req);
    const file = form?.get('file');
    if (!form || !(file instanceof Blob)) return RomaErrors.invalidParameter(res, 'file', 'a multipart/form-data field "file" is required');
    if (file.size > ROMA_IMPORT_MAX_BYTES) return RomaErrors.invalidParameter(res, 'file', `the file exceeds ${ROMA_IMPORT_MAX_BYTES} bytes (3 MB)`);
    const appField = form.get('app_id');
    const formAppId = typeof appField === 'string' && appField !== '' ? appField : undefined;
    if (formAppId !== undefined && !deps.roma.app(formAppId)) return RomaErrors.appNotFound(res, formAppId);
    const override = form.get('override') === 'true';

    let operations: ImportedOperation[];
    try {
      operations = importedOperations(readSwaggerFile(await file.text()));
    } catch (error) {
      if (error instanceof SwaggerImportError) return RomaErrors.invalidParameter(res, 'file', error.message);
      throw error;
    }

    let report: ImportReport | undefined;
    const healthy = (): RouteAnswer => {
      if (!report) {
        report = { success: [], failure: [], ignore: [] };
        const now = deps.now().toISOString();
        for (const operation of operations) importOne(deps.roma, operation, formAppId, override, now, report);
      }
      return { headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body: Buffer.from(JSON.stringify(report)) };
    };
    const outcome = await applyFaults(deps.faults, route, req, res, healthy);
    if (!outcome.served) sendAnswer(res, healthy());
  });
  return router;
}
