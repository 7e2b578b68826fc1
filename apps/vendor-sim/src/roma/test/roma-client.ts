import { signHuaweiRequest } from '#cloud-auth';
import type { VendorSim } from '../../vendor-sim.js';

/** Test helpers: ROMA calls the way a client makes them (AK/SK-signed unless a token is given). */
export function romaUrl(sim: VendorSim, rest: string, ids: { projectId?: string; instanceId?: string } = {}): string {
  return `${sim.baseUrl}/v2/${ids.projectId ?? sim.projectId}/apic/instances/${ids.instanceId ?? sim.roma.instanceId}${rest}`;
}

export interface RomaCall {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sends `X-Auth-Token` instead of signing. */
  token?: string;
}

export async function romaCall(sim: VendorSim, url: string, call: RomaCall = {}): Promise<Response> {
  const method = call.method ?? 'GET';
  const headers: Record<string, string> = { ...call.headers };
  const auth = call.token !== undefined ? { 'X-Auth-Token': call.token } : signHuaweiRequest({ method, url, headers, body: call.body }, sim.credentials);
  return fetch(url, { method, headers: { ...headers, ...auth }, body: call.body === undefined ? undefined : new Uint8Array(Buffer.from(call.body)) });
}

/** The export with a JSON body (none when `body` is undefined). */
export function exportCall(sim: VendorSim, body?: Record<string, unknown>, call: Omit<RomaCall, 'body' | 'method'> = {}): Promise<Response> {
  const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
  return romaCall(sim, romaUrl(sim, '/openapi/livedata-apis/export'), {
    ...call,
    method: 'POST',
    headers: { ...headers, ...call.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A multipart import of `file` (a Swagger text) with the given extra form fields. */
export async function importCall(sim: VendorSim, file: string | Buffer, fields: Record<string, string> = {}, fileName = 'livedata.json'): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(Buffer.from(file))]), fileName);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  // Serialized once, so the signature covers the exact bytes sent.
  const request = new Request('http://multipart.local/', { method: 'POST', body: form });
  const body = Buffer.from(await request.arrayBuffer());
  return romaCall(sim, romaUrl(sim, '/openapi/livedata-apis/import'), {
    method: 'POST',
    headers: { 'Content-Type': request.headers.get('content-type')! },
    body,
  });
}

/** Logs in as the sim's first IAM user; returns the token. */
export async function iamLogin(sim: VendorSim, overrides: { password?: string; project?: { id?: string; name?: string } } = {}): Promise<Response> {
  const [user] = sim.iam.users();
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user.userName, password: overrides.password ?? user.password, domain: { name: user.domainName } } },
      },
      scope: { project: overrides.project ?? { name: sim.projectName } },
    },
  };
  return fetch(`${sim.baseUrl}/v3/auth/tokens?nocatalog=true`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
