import { Router } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { huaweiInjectedErrorSender } from '../huawei/injected-errors.js';
import { PER_PART_CACHE_ENTRIES, RenderCache } from '../render-cache.js';
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  EXPORT_TIME_PLACEHOLDER,
  liveDataSwagger,
  serializeSwagger,
  stampExportTime,
  type ExportFormat,
  type SwaggerContext,
} from './livedata-swagger.js';
import { RomaErrors } from './roma-errors.js';
import { FILTERABLE_STATUS_CODES, type LiveDataApi, type RomaExportOverflow } from './roma-model.js';
import type { RomaState } from './roma-state.js';

/** Route id for fault injection. */
export const ROMA_EXPORT_ROUTE = 'roma.export';

export interface RomaExportDeps {
  roma: RomaState;
  faults: FaultInjector;
  now: () => Date;
}

interface ExportSelection {
  appId?: string;
  format: ExportFormat;
  ids?: string[];
  statusCode?: number;
}

type SelectionResult = { ok: true; selection: ExportSelection } | { ok: false; parameter: string; detail: string };

/** The body, all optional (confirmed): `app_id`, `format` (json default), `apis[]`, `status` (1, 3, 4). */
function selectionOf(raw: Buffer): SelectionResult {
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, parameter: 'body', detail: 'a JSON object is expected' };
      body = parsed as Record<string, unknown>;
    } catch {
      return { ok: false, parameter: 'body', detail: 'not valid JSON' };
    }
  }
  const { app_id: appId, format = 'json', apis, status } = body;
  if (appId !== undefined && (typeof appId !== 'string' || appId === '')) return { ok: false, parameter: 'app_id', detail: 'a string is expected' };
  if (!(EXPORT_FORMATS as readonly unknown[]).includes(format)) return { ok: false, parameter: 'format', detail: 'json, yaml or yml' };
  if (apis !== undefined && (!Array.isArray(apis) || apis.some((id) => typeof id !== 'string'))) {
    return { ok: false, parameter: 'apis', detail: 'an array of backend API ids is expected' };
  }
  if (status !== undefined && !(FILTERABLE_STATUS_CODES as readonly unknown[]).includes(status)) return { ok: false, parameter: 'status', detail: '1, 3 or 4' };
  return {
    ok: true,
    selection: {
      appId: appId as string | undefined,
      format: format as ExportFormat,
      ids: apis as string[] | undefined,
      statusCode: status as number | undefined,
    },
  };
}

interface Rendering {
  /** The document, with EXPORT_TIME_PLACEHOLDER where the export time goes. */
  text: string;
  /** APIs in the document; fewer than selected when the export was cut at the cap. */
  exported: number;
  overflow: boolean;
}

/**
 * Renders the selection under the size cap. Over the cap, `error` mode only reports it;
 * `truncate` mode keeps the longest prefix of whole APIs that fits (binary search: rendering is
 * linear, so this costs a log factor, and only for exports over the cap).
 */
function renderWithinCap(apis: LiveDataApi[], render: (apis: LiveDataApi[]) => string, maxBytes: number, overflow: RomaExportOverflow): Rendering {
  // The placeholder and the time are the same length; YAML quotes the time (2 bytes more).
  const size = (text: string) => Buffer.byteLength(text) + 2;
  const whole = render(apis);
  if (size(whole) <= maxBytes) return { text: whole, exported: apis.length, overflow: false };
  if (overflow === 'error') return { text: '', exported: 0, overflow: true };
  let fits = 0;
  let fitting = render([]);
  let low = 1;
  let high = apis.length - 1;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const text = render(apis.slice(0, middle));
    if (size(text) <= maxBytes) {
      fits = middle;
      fitting = text;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return { text: fitting, exported: fits, overflow: true };
}

/**
 * `POST /v2/{project_id}/apic/instances/{instance_id}/openapi/livedata-apis/export`
 * (ExportLiveDataApiDefinitionsV2): the selected custom backends as one Swagger 2.0 file, JSON
 * or YAML, `info.version` stamped with the export time. Renderings are cached until the estate
 * changes; only the export time is written at each call.
 */
export function romaExportRouter(deps: RomaExportDeps): Router {
  const router = Router({ mergeParams: true });
  const route: FaultyRoute = { id: ROMA_EXPORT_ROUTE, sendError: huaweiInjectedErrorSender('APIG') };
  const cache = new RenderCache<Rendering>(PER_PART_CACHE_ENTRIES);
  const context: SwaggerContext = { appOf: (id) => deps.roma.app(id), signatureOf: (id) => deps.roma.signature(id) };

  router.post('/openapi/livedata-apis/export', async (req, res) => {
    const parsed = selectionOf(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    if (!parsed.ok) return RomaErrors.invalidParameter(res, parsed.parameter, parsed.detail);
    const { selection } = parsed;
    const app = selection.appId === undefined ? undefined : deps.roma.app(selection.appId);
    if (selection.appId !== undefined && !app) return RomaErrors.appNotFound(res, selection.appId);
    const missing = selection.ids?.find((id) => !deps.roma.api(id));
    if (missing !== undefined) return RomaErrors.liveDataApiNotFound(res, missing);

    const { exportMaxBytes, exportOverflow } = deps.roma;
    const key = JSON.stringify([selection.appId, selection.format, selection.ids, selection.statusCode, exportMaxBytes, exportOverflow]);
    const rendering = cache.get(key, deps.roma.version, () => {
      const apis = deps.roma.apis({ appId: selection.appId, statusCode: selection.statusCode, ids: selection.ids });
      const title = app ? app.name : 'ROMA Connect custom backends';
      const render = (subset: LiveDataApi[]) => serializeSwagger(liveDataSwagger(subset, context, title, EXPORT_TIME_PLACEHOLDER), selection.format);
      return renderWithinCap(apis, render, exportMaxBytes, exportOverflow);
    });
    if (rendering.overflow && exportOverflow === 'error') return RomaErrors.exportTooLarge(res, exportMaxBytes);

    const healthy = (): RouteAnswer => ({
      headers: {
        'Content-Type': EXPORT_CONTENT_TYPES[selection.format],
        'Content-Disposition': `attachment; filename="livedata-apis.${selection.format}"`,
      },
      body: Buffer.from(stampExportTime(rendering.text, selection.format, deps.now())),
    });
    const outcome = await applyFaults(deps.faults, route, req, res, healthy);
    if (!outcome.served) sendAnswer(res, healthy());
  });
  return router;
}
