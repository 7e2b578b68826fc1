import { Router, type Request, type Response } from 'express';
import type { FaultInjector, SimFault } from '../faults.js';
import { sendHuaweiError } from '../huawei/errors.js';
import { mulberry32 } from '../prng.js';
import type { DlfState } from './dlf-state.js';
import { buildDlfExportZip, buildHostileDlfExportZip, DLF_EXPORT_FILE_NAME } from './export-archive.js';

/** Route id for FaultInjector.inject(fault, { route }). */
export const DLF_EXPORT_ROUTE = 'dlf.export';

export interface DlfExportRouteDeps {
  projectId: string;
  dlf: DlfState;
  faults: FaultInjector;
  /** Seeds the bytes of the `not-zip` fault, so that even garbage is reproducible. */
  seed: number;
}

const NOT_ZIP_LENGTH = 4096;

function sendZip(res: Response, body: Buffer): void {
  res
    .status(200)
    .set({
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${DLF_EXPORT_FILE_NAME}"`,
      'Content-Length': String(body.length),
    })
    .end(body);
}

function notZipBytes(seed: number): Buffer {
  const random = mulberry32(seed ^ 0x5eed);
  const bytes = Buffer.alloc(NOT_ZIP_LENGTH);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  bytes.write('NZ', 0, 'latin1'); // never "PK": a sniffing client must not mistake it for a zip
  return bytes;
}

const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>
`;

/**
 * Headers, then half of the body, then the socket is destroyed: the client sees a response that
 * starts well and breaks, with a Content-Length promising more.
 */
function sendThenReset(req: Request, res: Response, body: Buffer): void {
  res.status(200).set({
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${DLF_EXPORT_FILE_NAME}"`,
    'Content-Length': String(body.length),
  });
  res.flushHeaders();
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
}

function serveFault(fault: SimFault, req: Request, res: Response, zip: () => Buffer, deps: DlfExportRouteDeps, workspace: string): void {
  switch (fault) {
    case 'http-401':
      return sendHuaweiError(res, 'authFailed', 'Incorrect IAM authentication information: the token has expired');
    case 'http-500':
      return sendHuaweiError(res, 'systemError', 'System error. Try again later.');
    case 'html-200':
      res.status(200).type('text/html; charset=utf-8').send(HTML_ERROR_PAGE);
      return;
    case 'truncated-zip': {
      const whole = zip();
      return sendZip(res, whole.subarray(0, Math.floor(whole.length / 2)));
    }
    case 'not-zip':
      return sendZip(res, notZipBytes(deps.seed));
    case 'zip-slip':
    case 'absolute-path':
    case 'zip-bomb':
    case 'bad-json-conn':
      return sendZip(res, buildHostileDlfExportZip(deps.dlf.list(workspace), fault));
    case 'reset':
      return sendThenReset(req, res, zip());
  }
}

/**
 * `POST /v1/{project_id}/connections/export` of DataArts Factory (VENDORS.md section 4): all
 * connections of a workspace (the `workspace` header, default workspace when absent) as
 * `DLF_All_DataConnections.zip`. Authentication happens before, in the gateway middleware.
 */
export function dlfExportRouter(deps: DlfExportRouteDeps): Router {
  const router = Router();
  router.post('/v1/:projectId/connections/export', (req, res) => {
    if (req.params.projectId !== deps.projectId) {
      return sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
    }
    const requested = req.get('workspace');
    const workspace = requested === undefined || requested === '' ? deps.dlf.defaultWorkspace : requested;
    if (!deps.dlf.hasWorkspace(workspace)) return sendHuaweiError(res, 'workspaceNotFound', 'Workspace does not exists');

    const zip = () => buildDlfExportZip(deps.dlf.list(workspace));
    const fault = deps.faults.take(DLF_EXPORT_ROUTE);
    if (fault) return serveFault(fault, req, res, zip, deps, workspace);
    sendZip(res, zip());
  });
  return router;
}
