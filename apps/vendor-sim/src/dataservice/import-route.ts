import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import { applyFaults, sendAnswer, type FaultyRoute, type RouteAnswer } from '../fault-answers.js';
import { sendHuaweiInjectedError } from '../huawei/injected-errors.js';
import type { DataServiceApi } from './dataservice-api.js';
import { parseDataServiceApi } from './dataservice-api-schema.js';
import { sendDataServiceError } from './dataservice-errors.js';
import type { DataServiceRouteDeps } from './export-route.js';
import { apiFromImportRow, ImportFileError, readImportWorkbook } from './import-workbook.js';
import { dataServiceRequestContext } from './request-context.js';

export const DATASERVICE_IMPORT_ROUTE = 'dataservice.import';

/** "The file must be smaller than 4 MB" (ImportDataServiceExcel, confirmed). */
export const MAX_IMPORT_FILE_BYTES = 4 * 1024 * 1024;

const IMPORT_FAULTS: FaultyRoute = { id: DATASERVICE_IMPORT_ROUTE, sendError: sendHuaweiInjectedError };

/** A new API's id: derived from where it lands and its name, so re-importing a file is idempotent. */
function importedApiId(workspace: string, dlmType: string, name: string): string {
  return createHash('md5').update(`${workspace}\u0000${dlmType}\u0000${name}`).digest('hex');
}

/** The uploaded `file` part: the body is already raw bytes (the signature covers it), so undici's form parser reads it. */
async function uploadedFile(contentType: string | undefined, body: Buffer): Promise<File | string> {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return 'The request must be multipart/form-data with a file field';
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return 'The multipart body cannot be read';
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) return 'The file field is required';
  return file as File;
}

/**
 * `POST /v1/{project_id}/service/import/excel` (VENDORS.md section 1): multipart field `file`, a
 * workbook in the export layout (either locale), under 4 MB. Each API row updates the API with
 * its id (or, failing that, its name) in the workspace's edition, or creates one. Every row is
 * checked before the estate changes (all or nothing); then it changes at once (the vendor's import is a job: `job_id` names it) so a later export shows it.
 */
export function dataServiceImportHandler(deps: DataServiceRouteDeps): RequestHandler {
  const { dataService } = deps;
  return async (req, res) => {
    const context = dataServiceRequestContext(req, res, deps.projectId, dataService);
    if (!context) return;
    const file = await uploadedFile(req.get('content-type'), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    if (typeof file === 'string') return sendDataServiceError(res, 'badImportFile', file);
    if (file.size >= MAX_IMPORT_FILE_BYTES) {
      return sendDataServiceError(res, 'badImportFile', `The file must be smaller than 4 MB; it has ${file.size} bytes`);
    }

    const importedAt = deps.now().getTime();
    const apis: DataServiceApi[] = [];
    try {
      const rows = await readImportWorkbook(Buffer.from(await file.arrayBuffer()));
      if (rows.length === 0) throw new ImportFileError('The workbook holds no API rows');
      for (const row of rows) {
        const idCell = row.fields.get('id');
        const nameCell = row.fields.get('name');
        const base =
          (typeof idCell === 'string' ? dataService.get(idCell, context.workspace, context.dlmType) : undefined) ??
          (typeof nameCell === 'string' ? dataService.findByName(nameCell, context.workspace, context.dlmType) : undefined);
        const id = base?.id ?? importedApiId(context.workspace, context.dlmType, String(nameCell ?? ''));
        let api: DataServiceApi;
        try {
          api = parseDataServiceApi(apiFromImportRow(row, base, id, importedAt));
        } catch (error) {
          throw new ImportFileError(`sheet ${row.sheet}, row ${row.row}: ${(error as Error).message}`);
        }
        if (apis.some((other) => other.id === api.id || other.name === api.name)) {
          throw new ImportFileError(`sheet ${row.sheet}, row ${row.row}: API ${api.name} appears twice in the file`);
        }
        apis.push(api);
      }
    } catch (error) {
      if (error instanceof ImportFileError) return sendDataServiceError(res, 'badImportFile', error.message);
      throw error;
    }

    let answer: RouteAnswer | undefined;
    const healthy = (): RouteAnswer => {
      if (answer) return answer;
      for (const api of apis) dataService.upsert(api, context.workspace, context.dlmType);
      answer = { headers: { 'Content-Type': 'application/json;charset=UTF-8' }, body: Buffer.from(JSON.stringify({ job_id: randomBytes(16).toString('hex') })) };
      return answer;
    };
    const { served } = await applyFaults(deps.faults, IMPORT_FAULTS, req, res, healthy);
    if (served) return;
    sendAnswer(res, healthy());
  };
}
