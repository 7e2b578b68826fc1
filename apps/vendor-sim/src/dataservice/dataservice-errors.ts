import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { HuaweiErrorBody } from '../huawei/errors.js';

/**
 * DataService's own answers, in the Huawei error body. The vendor documents the body
 * (`error_code`, `error_msg`, example code DLS.1000) but no code list: the codes and statuses
 * here are our decisions, chosen so that a client can tell them apart.
 * - DLS.1001 (400): a request field has a wrong type or value.
 * - DLS.1002 (400): the import file is missing, too large (4 MB) or not a readable workbook.
 * - DLS.1029 (429): a second full export of a workspace inside the one-minute window (the limit
 *   itself is the vendor's, confirmed; the status, code and the Retry-After hint are ours).
 * Missing or unknown workspaces answer DLS.1000 through the shared Huawei errors.
 */
export const DataServiceErrors = {
  invalidParameter: { status: 400, code: 'DLS.1001' },
  badImportFile: { status: 400, code: 'DLS.1002' },
  exportTooFrequent: { status: 429, code: 'DLS.1029' },
} as const satisfies Record<string, { status: number; code: string }>;

export type DataServiceErrorKind = keyof typeof DataServiceErrors;

export function sendDataServiceError(res: Response, kind: DataServiceErrorKind, message: string, headers: Record<string, string> = {}): void {
  const { status, code } = DataServiceErrors[kind];
  const requestId = randomUUID().replace(/-/g, '');
  const body: HuaweiErrorBody = { error_code: code, error_msg: message, request_id: requestId };
  res.status(status).set({ ...headers, 'X-Request-Id': requestId }).json(body);
}
