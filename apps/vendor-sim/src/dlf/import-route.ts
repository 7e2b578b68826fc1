import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { unzipSync } from 'fflate';
import { sendHuaweiError } from '../huawei/errors.js';
import type { DlfConnection } from './dlf-connection.js';
import { assertValidConnection, type DlfState } from './dlf-state.js';

export interface DlfImportRouteDeps {
  projectId: string;
  dlf: DlfState;
}

/** The real import reads a zip from OBS; 4 MiB is far above any connection export we generate. */
const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

/**
 * DLF's restore counterpart, `POST /v1/{project_id}/connections/import`. The real call takes an
 * OBS path to an exported zip plus `sameNamePolicy` (SKIP | OVERWRITE); OBS is not emulated, so
 * (our decision) the zip itself is the request body and the policy comes as a query parameter or
 * header. It answers `{taskId}` like the real one and applies the import at once, so the next
 * export shows it.
 */
export function dlfImportRouter(deps: DlfImportRouteDeps): Router {
  const router = Router();
  router.post('/v1/:projectId/connections/import', (req, res) => {
    if (req.params.projectId !== deps.projectId) {
      return sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
    }
    const requested = req.get('workspace');
    const workspace = requested === undefined || requested === '' ? deps.dlf.defaultWorkspace : requested;
    if (!deps.dlf.hasWorkspace(workspace)) return sendHuaweiError(res, 'workspaceNotFound', 'Workspace does not exists');
    const policy = String(req.query.sameNamePolicy ?? req.get('sameNamePolicy') ?? 'SKIP').toUpperCase();
    if (policy !== 'SKIP' && policy !== 'OVERWRITE') return sendHuaweiError(res, 'badRequest', 'sameNamePolicy must be SKIP or OVERWRITE');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length === 0 || body.length > MAX_IMPORT_BYTES) return sendHuaweiError(res, 'badRequest', 'The import file is empty or larger than 4 MB');

    let connections: DlfConnection[];
    try {
      const files = unzipSync(new Uint8Array(body), { filter: (file) => /^connections\/[^/]+\.conn$/.test(file.name) && file.originalSize <= MAX_IMPORT_BYTES });
      connections = Object.values(files).map((bytes) => {
        const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
        assertValidConnection(value);
        return value;
      });
    } catch (error) {
      return sendHuaweiError(res, 'badRequest', `The import file is not a valid connection export: ${(error as Error).message}`);
    }
    for (const connection of connections) {
      if (policy === 'SKIP' && deps.dlf.get(connection.name, workspace)) continue;
      deps.dlf.upsert(connection, workspace);
    }
    res.status(200).json({ taskId: randomUUID() });
  });
  return router;
}
