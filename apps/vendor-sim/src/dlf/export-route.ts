import { Router } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import type { FaultInjector } from '../faults.js';
import { sendHuaweiError } from '../huawei/errors.js';
import { sendHuaweiInjectedError } from '../huawei/injected-errors.js';
import { RenderCache } from '../render-cache.js';
import type { PrecompressedZipEntry } from '../zip/deterministic-zip.js';
import type { DlfState } from './dlf-state.js';
import { buildDlfExportZip, buildHostileDlfExportZip, DLF_EXPORT_FILE_NAME, dlfExportEntries } from './export-archive.js';

/** Route id for FaultInjector.inject(fault, { route }) and fault rules. */
export const DLF_EXPORT_ROUTE = 'dlf.export';

export interface DlfExportRouteDeps {
  projectId: string;
  dlf: DlfState;
  faults: FaultInjector;
  /** The export time stamped on the zip entries. */
  now: () => Date;
}

/** The DLF export's own faults: hostile entries added to the valid export. */
const DLF_EXPORT_FAULTS: FaultyRoute = {
  id: DLF_EXPORT_ROUTE,
  sendError: sendHuaweiInjectedError,
  zip: true,
  vendorFaults: ['zip-slip', 'absolute-path', 'zip-bomb', 'bad-json-conn'],
};

function zipAnswer(body: Buffer): RouteAnswer {
  return {
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${DLF_EXPORT_FILE_NAME}"` },
    body,
  };
}

/**
 * `POST /v1/{project_id}/connections/export` of DataArts Factory (VENDORS.md section 4): all
 * connections of a workspace (the `workspace` header, default workspace when absent) as
 * `DLF_All_DataConnections.zip`. Authentication happens before, in the gateway middleware.
 */
export function dlfExportRouter(deps: DlfExportRouteDeps): Router {
  const router = Router();
  const rendered = new RenderCache<PrecompressedZipEntry[]>();
  router.post('/v1/:projectId/connections/export', async (req, res) => {
    if (req.params.projectId !== deps.projectId) {
      return sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
    }
    const requested = req.get('workspace');
    const workspace = requested === undefined || requested === '' ? deps.dlf.defaultWorkspace : requested;
    if (!deps.dlf.hasWorkspace(workspace)) return sendHuaweiError(res, 'workspaceNotFound', 'Workspace does not exists');

    const exportedAt = deps.now();
    const entries = () => rendered.get(workspace, deps.dlf.version, () => dlfExportEntries(deps.dlf.list(workspace)));
    const healthy = () => zipAnswer(buildDlfExportZip(entries(), exportedAt));
    const { served, vendorFault } = await applyFaults(deps.faults, DLF_EXPORT_FAULTS, req, res, healthy);
    if (served) return;
    if (vendorFault === 'zip-slip' || vendorFault === 'absolute-path' || vendorFault === 'zip-bomb' || vendorFault === 'bad-json-conn') {
      return sendAnswer(res, zipAnswer(buildHostileDlfExportZip(entries(), vendorFault, exportedAt)));
    }
    sendAnswer(res, healthy());
  });
  return router;
}
