import { signHuaweiRequest } from '#cloud-auth';
import type { VendorSim } from '../../vendor-sim.js';

/** Test helpers: APIG calls the way a client makes them (AK/SK-signed over the exact bytes sent). */
export function apigUrl(sim: VendorSim, rest: string, ids: { projectId?: string; instanceId?: string } = {}): string {
  return `${sim.baseUrl}/v2/${ids.projectId ?? sim.projectId}/apigw/instances/${ids.instanceId ?? sim.apig.instanceId}${rest}`;
}

export async function apigCall(sim: VendorSim, url: string, call: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Response> {
  const method = call.method ?? 'GET';
  const headers: Record<string, string> = { ...call.headers };
  const auth = signHuaweiRequest({ method, url, headers, body: call.body }, sim.credentials);
  return fetch(url, { method, headers: { ...headers, ...auth }, body: call.body === undefined ? undefined : new Uint8Array(Buffer.from(call.body)) });
}

/** `POST .../openapi/export` with a JSON body and, when given, `?oas_version=`. */
export function exportApis(sim: VendorSim, body: Record<string, unknown>, options: { oasVersion?: string; instanceId?: string } = {}): Promise<Response> {
  const query = options.oasVersion === undefined ? '' : `?oas_version=${encodeURIComponent(options.oasVersion)}`;
  return apigCall(sim, apigUrl(sim, `/openapi/export${query}`, { instanceId: options.instanceId }), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A multipart import: the file in the part `file_name` (the vendor's name for it), plus fields. */
export async function importApis(sim: VendorSim, file: string | Buffer, fields: Record<string, string> = {}, fileName = 'apis.json'): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file_name', new Blob([new Uint8Array(Buffer.from(file))]), fileName);
  // Serialized once, so the signature covers the exact bytes sent.
  const request = new Request('http://multipart.local/', { method: 'POST', body: form });
  const body = Buffer.from(await request.arrayBuffer());
  return apigCall(sim, apigUrl(sim, '/openapi/import'), { method: 'POST', headers: { 'Content-Type': request.headers.get('content-type')! }, body });
}

export async function jsonOf<T = any>(response: Response): Promise<T> {
  return JSON.parse(await response.text()) as T;
}
