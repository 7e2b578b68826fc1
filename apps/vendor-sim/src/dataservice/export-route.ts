import type { RequestHandler } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { sendHuaweiInjectedError } from '../huawei/injected-errors.js';
import { RenderCache } from '../render-cache.js';
import { sendDataServiceError } from './dataservice-errors.js';
import type { DataServiceState } from './dataservice-state.js';
import { renderExportTemplates, stampExportWorkbooks, withCorruptWorkbook, zipWorkbooks, type ExportWorkbook } from './export-archive.js';
import { matchesExportFilter, parseExportFilter } from './export-filter.js';
import type { WorkbookTemplate } from './export-workbook.js';
import { dataServiceRequestContext } from './request-context.js';
import { DATASERVICE_EXPORT_FILE_NAME } from './workbook-layout.js';

/** Route id for FaultInjector.inject(fault, { route }) and fault rules. */
export const DATASERVICE_EXPORT_ROUTE = 'dataservice.export';

const EXPORT_FAULTS: FaultyRoute = {
  id: DATASERVICE_EXPORT_ROUTE,
  sendError: sendHuaweiInjectedError,
  zip: true,
  vendorFaults: ['corrupt-workbook'],
};

export interface DataServiceRouteDeps {
  projectId: string;
  dataService: DataServiceState;
  faults: FaultInjector;
  /** The export time: workbook creation time, part and entry times. */
  now: () => Date;
}

function zipAnswer(body: Buffer): RouteAnswer {
  return {
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${DATASERVICE_EXPORT_FILE_NAME}"` },
    body,
  };
}

/**
 * `POST /v1/{project_id}/service/export/zip` (VENDORS.md section 1): every API of the workspace's
 * edition that matches the body's filters, as a zip of workbooks. A second export of the same
 * workspace inside the window answers 429 DLS.1029 (with Retry-After unless turned off); the
 * window is checked before faults, so a queued fault waits for an admitted export.
 */
export function dataServiceExportHandler(deps: DataServiceRouteDeps): RequestHandler {
  const { dataService } = deps;
  const rendered = new RenderCache<Promise<WorkbookTemplate[]>>();
  return async (req, res) => {
    const context = dataServiceRequestContext(req, res, deps.projectId, dataService);
    if (!context) return;
    const parsed = parseExportFilter(Buffer.isBuffer(req.body) ? req.body : undefined);
    if (!parsed.ok) return sendDataServiceError(res, 'invalidParameter', parsed.message);

    const admission = dataService.exportLimiter.admit(context.workspace);
    if (!admission.admitted) {
      const headers: Record<string, string> = dataService.retryAfter ? { 'Retry-After': String(Math.ceil(admission.retryAfterMs / 1000)) } : {};
      return sendDataServiceError(res, 'exportTooFrequent', 'Export too frequently. Only one full export per minute is allowed in a workspace; try again later.', headers);
    }

    const exportedAt = deps.now();
    const locale = dataService.locale;
    const key = JSON.stringify([context.workspace, context.dlmType, locale, parsed.filter]);
    const templates = () =>
      rendered.get(key, dataService.version, () =>
        renderExportTemplates(
          dataService.list(context.workspace, context.dlmType).filter((api) => matchesExportFilter(api, parsed.filter)),
          locale,
        ),
      );
    let workbooks: ExportWorkbook[] | undefined;
    const stamped = async () => (workbooks ??= stampExportWorkbooks(await templates(), exportedAt));
    const healthy = async () => zipAnswer(zipWorkbooks(await stamped(), exportedAt));

    const { served, vendorFault } = await applyFaults(deps.faults, EXPORT_FAULTS, req, res, healthy);
    if (served) return;
    if (vendorFault === 'corrupt-workbook') return sendAnswer(res, zipAnswer(zipWorkbooks(withCorruptWorkbook(await stamped()), exportedAt)));
    sendAnswer(res, await healthy());
  };
}
