import { z } from 'zod';
import { VendorCallError } from '../errors.js';
import type { VendorHttpClient } from '../http/vendor-http-client.js';

export const ROMA_LIST_APPS_CALL = 'GET /v2/{project_id}/apic/instances/{instance_id}/apps';
export const ROMA_LIST_LIVEDATA_APIS_CALL = 'GET /v2/{project_id}/apic/instances/{instance_id}/livedata-apis';

/** The vendor's largest page (confirmed: limit 1..500). */
const PAGE_LIMIT = 500;

/** An integration application, as much of it as a backup needs (the listing also holds a masked secret: never kept). */
export interface RomaAppRef {
  id: string;
  name: string;
}

const appsPageSchema = z.object({
  total: z.number().int().min(0),
  apps: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});

const countSchema = z.object({ total: z.number().int().min(0) });

const liveDataPageSchema = z.object({
  total: z.number().int().min(0),
  apis: z.array(z.object({ id: z.string().min(1), roma_app_id: z.string() })),
});

async function getJson<Schema extends z.ZodType>(client: VendorHttpClient, call: string, url: string, schema: Schema, signal: AbortSignal): Promise<z.output<Schema>> {
  const response = await client.fetchBuffered({ call, method: 'GET', url, expect: 'json', signal });
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new VendorCallError(`${call}: the answer is not valid JSON`, { call, code: 'UNEXPECTED_CONTENT', status: response.status });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new VendorCallError(`${call}: the answer does not have the documented shape (${issue.path.join('.') || 'body'}: ${issue.message})`, {
      call,
      code: 'UNEXPECTED_CONTENT',
      status: response.status,
    });
  }
  return result.data;
}

/**
 * Every integration application of the instance (ListAppsV2), page by page. An application
 * deleted while paging shortens the list; one seen twice (pages shifting) is kept once.
 */
export async function listRomaApps(client: VendorHttpClient, instanceUrl: string, signal: AbortSignal): Promise<{ apps: RomaAppRef[]; calls: number }> {
  const apps = new Map<string, RomaAppRef>();
  let calls = 0;
  let total = Infinity;
  let offset = 0;
  while (offset < total) {
    const page = await getJson(client, ROMA_LIST_APPS_CALL, `${instanceUrl}/apps?offset=${offset}&limit=${PAGE_LIMIT}`, appsPageSchema, signal);
    calls++;
    total = page.total;
    for (const app of page.apps) if (!apps.has(app.id)) apps.set(app.id, { id: app.id, name: app.name });
    if (page.apps.length === 0) break;
    offset += page.apps.length;
  }
  return { apps: [...apps.values()], calls };
}

/**
 * How many custom backends the vendor says each application holds, from one paged listing of
 * the whole instance (ListLiveDataApiV2, 500 a page, grouped by `roma_app_id`): far fewer calls
 * than one count per application when every application is backed up.
 */
export async function countLiveDataApisByApp(
  client: VendorHttpClient,
  instanceUrl: string,
  signal: AbortSignal,
): Promise<{ counts: Map<string, number>; calls: number }> {
  const appOf = new Map<string, string>();
  let calls = 0;
  let total = Infinity;
  let offset = 0;
  while (offset < total) {
    const page = await getJson(client, ROMA_LIST_LIVEDATA_APIS_CALL, `${instanceUrl}/livedata-apis?offset=${offset}&limit=${PAGE_LIMIT}`, liveDataPageSchema, signal);
    calls++;
    total = page.total;
    for (const api of page.apis) appOf.set(api.id, api.roma_app_id);
    if (page.apis.length === 0) break;
    offset += page.apis.length;
  }
  const counts = new Map<string, number>();
  for (const appId of appOf.values()) counts.set(appId, (counts.get(appId) ?? 0) + 1);
  return { counts, calls };
}

/**
 * How many custom backends the vendor says an application holds (ListLiveDataApiV2 filtered by
 * `app_id`, one item per page: only `total` is read). The export must hold as many.
 */
export async function countLiveDataApis(client: VendorHttpClient, instanceUrl: string, appId: string, signal: AbortSignal): Promise<number> {
  const url = `${instanceUrl}/livedata-apis?app_id=${encodeURIComponent(appId)}&offset=0&limit=1`;
  return (await getJson(client, ROMA_LIST_LIVEDATA_APIS_CALL, url, countSchema, signal)).total;
}
