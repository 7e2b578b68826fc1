import { stringify as stringifyYaml } from 'yaml';
import { startVendorSim, type VendorSim } from '../vendor-sim.js';
import { exportCall, importCall, romaCall, romaUrl } from './test/roma-client.js';

const FIXED_CLOCK = new Date('2026-03-01T08:00:00Z');

interface ImportReport {
  success: { id: string; name: string; method: string; path: string; action: string }[];
  failure: { name?: string; method: string; path: string; error_code: string; error_msg: string }[];
  ignore: { name: string; method: string; path: string }[];
}

describe('vendor-sim ROMA livedata-apis/import', () => {
  let sim: VendorSim;
  beforeEach(async () => {
    sim = await startVendorSim({ seed: 42, clock: FIXED_CLOCK });
  });
  afterEach(() => sim.close());

  it('restores deleted backends from their export, so that the next export shows them again', async () => {
    const app = sim.roma.apps()[0];
    const exported = await (await exportCall(sim, { app_id: app.id })).text();
    const originals = sim.roma.apis({ appId: app.id });
    for (const api of originals) sim.roma.removeApi(api.id);
    expect(JSON.parse(await (await exportCall(sim, { app_id: app.id })).text()).paths).toEqual({});

    const response = await importCall(sim, exported);
    expect(response.status).toBe(200);
    const report = (await response.json()) as ImportReport;
    expect(report.failure).toEqual([]);
    expect(report.success.map((s) => s.action)).toEqual(originals.map(() => 'create'));
    expect(await (await exportCall(sim, { app_id: app.id })).text()).toBe(exported);
    const restored = sim.roma.apis({ appId: app.id });
    const content = (apis: typeof originals) => apis.map(({ id: _id, createdAt: _c, updatedAt: _u, ...rest }) => rest);
    expect(content(restored)).toEqual(content(originals));
  });

  it('accepts YAML, ignores backends that exist unless told to override, and binds to app_id when given', async () => {
    const [source, target] = sim.roma.apps();
    const doc = JSON.parse(await (await exportCall(sim, { app_id: source.id })).text());
    const ignored = (await (await importCall(sim, stringifyYaml(doc), {}, 'apis.yaml')).json()) as ImportReport;
    expect(ignored.success).toEqual([]);
    expect(ignored.ignore).toHaveLength(7);

    const [path] = Object.keys(doc.paths);
    const [method] = Object.keys(doc.paths[path]);
    doc.paths[path][method].description = 'changed by import';
    const overridden = (await (await importCall(sim, JSON.stringify(doc), { override: 'true', app_id: target.id })).json()) as ImportReport;
    expect(overridden.success.map((s) => s.action)).toEqual(Array(7).fill('update'));
    const moved = sim.roma.apis().find((a) => a.path === path && a.method === method.toUpperCase())!;
    expect(moved).toMatchObject({ appId: target.id, description: 'changed by import' });
  });

  it('reports operations it cannot import, one by one', async () => {
    const doc = JSON.parse(await (await exportCall(sim, { app_id: sim.roma.apps()[0].id })).text());
    const [path] = Object.keys(doc.paths);
    const op = Object.values(doc.paths[path])[0] as Record<string, any>;
    doc.paths['/brand/new'] = { patch: { ...op, operationId: 'patch_new' }, get: { ...op, operationId: 'get_new', 'x-livedata-roma-app': 'no-such-app' } };
    doc.paths['/brand/other'] = { get: { ...op, operationId: 'get_other', 'x-livedata-scripts': [{ type: 'SQL', content: '***not base64***' }] } };
    const report = (await (await importCall(sim, JSON.stringify(doc))).json()) as ImportReport;
    expect(report.failure.map((f) => [f.method, f.path, f.error_code])).toEqual([
      ['PATCH', '/brand/new', 'APIG.2011'],
      ['GET', '/brand/new', 'APIG.3004'],
      ['GET', '/brand/other', 'APIG.2011'],
    ]);
  });

  it.each([
    ['OpenAPI 3.0', JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }), /Swagger 2\.0/],
    ['not JSON nor YAML', '{"swagger": "2.0", ', /neither valid JSON nor valid YAML/],
    ['over 3 MB', JSON.stringify({ swagger: '2.0', info: { title: 'x'.repeat(3 * 1024 * 1024), version: '1' }, paths: {} }), /exceeds/],
  ])('refuses a file that is %s', async (_, file, message) => {
    const response = await importCall(sim, file);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error_code: string; error_msg: string };
    expect(body.error_code).toBe('APIG.2011');
    expect(body.error_msg).toMatch(message);
  });

  it('refuses a request without a multipart file', async () => {
    const bad = await romaCall(sim, romaUrl(sim, '/openapi/livedata-apis/import'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
  });
});
