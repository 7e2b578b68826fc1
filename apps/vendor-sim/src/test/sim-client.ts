import { signHuaweiRequest, type HuaweiAkSk } from '#cloud-auth';
import { unzipSync } from 'fflate';
import type { VendorSim } from '../vendor-sim.js';

/** Test helpers: calls to the simulator the way a connector makes them. */
export interface ExportCall {
  workspace?: string;
  body?: string;
  credentials?: HuaweiAkSk;
  now?: Date;
  projectId?: string;
}

export function exportUrl(sim: VendorSim, projectId = sim.projectId): string {
  return `${sim.baseUrl}/v1/${projectId}/connections/export`;
}

/** A POST to the DLF export, signed with AK/SK (the sim's default credentials unless given). */
export function signedExport(sim: VendorSim, call: ExportCall = {}): Promise<Response> {
  const url = exportUrl(sim, call.projectId);
  const body = call.body ?? '{}';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (call.workspace !== undefined) headers.workspace = call.workspace;
  const auth = signHuaweiRequest({ method: 'POST', url, headers, body }, call.credentials ?? sim.credentials, call.now);
  return fetch(url, { method: 'POST', headers: { ...headers, ...auth }, body });
}

export async function exportedZip(response: Response): Promise<Buffer> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/octet-stream');
  return Buffer.from(await response.arrayBuffer());
}

/** Entry name -> parsed JSON of every `.conn` entry. */
export function connectionsIn(zip: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, data] of Object.entries(unzipSync(zip))) out[name] = JSON.parse(new TextDecoder().decode(data));
  return out;
}

export async function huaweiError(response: Response): Promise<{ status: number; error_code: string; error_msg: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error_code: string; error_msg: string };
  return { status: response.status, error_code: body.error_code, error_msg: body.error_msg };
}
