import { signHuaweiRequest, type HuaweiAkSk } from '#cloud-auth';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type { VendorSim } from '../../vendor-sim.js';

/** Test helpers: DataService calls made the way a connector makes them (AK/SK signed, real HTTP). */
export interface DataServiceCall {
  workspace?: string;
  dlmType?: string;
  /** A JSON body (stringified here) or raw text. */
  body?: unknown;
  credentials?: HuaweiAkSk;
  projectId?: string;
}

function url(sim: VendorSim, call: DataServiceCall, path: string): string {
  return `${sim.baseUrl}/v1/${call.projectId ?? sim.projectId}/service/${path}`;
}

export function exportZip(sim: VendorSim, call: DataServiceCall = {}): Promise<Response> {
  const target = url(sim, call, 'export/zip');
  const body = call.body === undefined ? '{}' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf8' };
  if (call.workspace !== undefined) headers.workspace = call.workspace;
  if (call.dlmType !== undefined) headers['dlm-type'] = call.dlmType;
  const auth = signHuaweiRequest({ method: 'POST', url: target, headers, body }, call.credentials ?? sim.credentials);
  return fetch(target, { method: 'POST', headers: { ...headers, ...auth }, body });
}

/** A multipart upload of `file` (as field `file`), signed over the exact multipart bytes. */
export async function importExcel(sim: VendorSim, file: Uint8Array, call: DataServiceCall & { field?: string } = {}): Promise<Response> {
  const target = url(sim, call, 'import/excel');
  const form = new FormData();
  form.append(call.field ?? 'file', new Blob([file]), 'apis.xlsx');
  const encoded = new Request(target, { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const headers: Record<string, string> = { 'content-type': encoded.headers.get('content-type')! };
  if (call.workspace !== undefined) headers.workspace = call.workspace;
  if (call.dlmType !== undefined) headers['dlm-type'] = call.dlmType;
  const auth = signHuaweiRequest({ method: 'POST', url: target, headers, body }, sim.credentials);
  return fetch(target, { method: 'POST', headers: { ...headers, ...auth }, body });
}

export async function zipOf(response: Response): Promise<Record<string, Uint8Array>> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/octet-stream');
  return unzipSync(new Uint8Array(await response.arrayBuffer()));
}

export interface SheetContent {
  name: string;
  header: string[];
  rows: Record<string, unknown>[];
}

/** Every sheet of a workbook: its header row and the rows below as header -> value. */
export async function sheetsOf(xlsx: Uint8Array): Promise<{ sheets: SheetContent[]; created: Date; modified: Date }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  const sheets: SheetContent[] = [];
  workbook.eachSheet((sheet) => {
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      const values = row.values as unknown[];
      rows.push(Object.fromEntries(header.map((name, i) => [name, values[i + 1] ?? null])));
    });
    sheets.push({ name: sheet.name, header, rows });
  });
  return { sheets, created: workbook.created, modified: workbook.modified };
}

/** Every API row of an export: the API ID column of every sheet of every workbook. */
export async function exportedIds(zip: Record<string, Uint8Array>, idHeader = 'API ID'): Promise<string[]> {
  const ids: string[] = [];
  for (const data of Object.values(zip)) {
    for (const sheet of (await sheetsOf(data)).sheets) for (const row of sheet.rows) ids.push(String(row[idHeader]));
  }
  return ids.sort();
}
