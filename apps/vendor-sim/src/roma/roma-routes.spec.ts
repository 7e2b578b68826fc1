import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { startVendorSim, type VendorSim } from '../vendor-sim.js';
import { LIVEDATA_STATUS_CODES, PLANTED_ROMA_SECRET_PREFIX, type LiveDataApi } from './roma-model.js';
import { exportCall, romaCall, romaUrl } from './test/roma-client.js';

const FIXED_CLOCK = new Date('2026-03-01T08:00:00Z');

type Swagger = {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Record<string, any>>>;
  securityDefinitions?: Record<string, Record<string, any>>;
};

function operations(doc: Swagger): { method: string; path: string; op: Record<string, any> }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
}

async function validSwagger(text: string, format: 'json' | 'yaml'): Promise<Swagger> {
  const doc = (format === 'json' ? JSON.parse(text) : parseYaml(text)) as Swagger;
  await SwaggerParser.validate(structuredClone(doc) as never);
  return doc;
}

async function huaweiError(response: Response): Promise<{ status: number; error_code: string; error_msg: string }> {
  const body = (await response.json()) as { error_code: string; error_msg: string };
  return { status: response.status, error_code: body.error_code, error_msg: body.error_msg };
}

describe('vendor-sim ROMA Connect', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim({ seed: 42, scale: 1, clock: FIXED_CLOCK, admin: true });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.faults.clear());

  describe('GET .../apps', () => {
    it('lists applications in pages with the total, secrets masked', async () => {
      const first = await romaCall(sim, romaUrl(sim, '/apps?limit=3'));
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^application\/json/);
      const page1 = (await first.json()) as { total: number; size: number; apps: any[] };
      expect(page1).toMatchObject({ total: 4, size: 3 });
      const page2 = (await (await romaCall(sim, romaUrl(sim, '/apps?offset=3&limit=3'))).json()) as { total: number; size: number; apps: any[] };
      expect(page2).toMatchObject({ total: 4, size: 1 });
      const ids = [...page1.apps, ...page2.apps].map((a) => a.id);
      expect(ids).toEqual(sim.roma.apps().map((a) => a.id));
      for (const app of page1.apps) {
        expect(Object.keys(app)).toEqual(['id', 'name', 'remark', 'creator', 'update_time', 'app_key', 'app_secret', 'register_time', 'status', 'app_type', 'roma_app_type', 'bind_num']);
        expect(app.app_secret).toMatch(/^.{3}\*{10}.{3}$/);
      }
      expect(JSON.stringify(page1)).not.toContain(PLANTED_ROMA_SECRET_PREFIX);
    });

    it('brings the limit back in range and refuses one that is not a number', async () => {
      const body = (await (await romaCall(sim, romaUrl(sim, '/apps?limit=0&offset=-5'))).json()) as { size: number };
      expect(body.size).toBe(4);
      expect(await huaweiError(await romaCall(sim, romaUrl(sim, '/apps?limit=ten')))).toMatchObject({ status: 400, error_code: 'APIG.2011' });
    });

    it('filters by name, fuzzy unless precise_search says otherwise', async () => {
      const total = async (query: string) => ((await (await romaCall(sim, romaUrl(sim, `/apps?${query}`))).json()) as { total: number }).total;
      expect(await total('name=app_')).toBe(4);
      expect(await total('name=app_&precise_search=name')).toBe(0);
      expect(await total(`name=${sim.roma.apps()[0].name}&precise_search=name`)).toBe(1);
    });
  });

  describe('GET .../livedata-apis', () => {
    it('tells how many custom backends an application holds, and filters by status', async () => {
      for (const app of sim.roma.apps()) {
        const body = (await (await romaCall(sim, romaUrl(sim, `/livedata-apis?app_id=${app.id}&limit=1`))).json()) as { total: number; size: number };
        expect(body.total).toBe(sim.roma.apis({ appId: app.id }).length);
        expect(body.size).toBe(Math.min(1, body.total));
      }
      const deployed = (await (await romaCall(sim, romaUrl(sim, '/livedata-apis?status=4&limit=500'))).json()) as { total: number; apis: any[] };
      expect(deployed.total).toBe(sim.roma.apis().filter((a) => a.status === 'DEPLOYED').length);
      expect(deployed.apis.every((a) => a.status === 4)).toBe(true);
      expect(await huaweiError(await romaCall(sim, romaUrl(sim, '/livedata-apis?status=2')))).toMatchObject({ status: 400, error_code: 'APIG.2011' });
    });
  });

  describe('POST .../openapi/livedata-apis/export', () => {
    it('exports every custom backend as valid Swagger 2.0 JSON with the x-livedata extensions', async () => {
      const response = await exportCall(sim);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="livedata-apis.json"');
      const doc = await validSwagger(await response.text(), 'json');
      expect(doc.swagger).toBe('2.0');
      expect(doc.info.version).toBe(FIXED_CLOCK.toISOString());

      const apis = sim.roma.apis();
      const ops = operations(doc);
      expect(ops.map((o) => `${o.method} ${o.path}`).sort()).toEqual(apis.map((a) => `${a.method} ${a.path}`).sort());
      const appNames = new Map(sim.roma.apps().map((a) => [a.id, a.name]));
      for (const api of apis) {
        const { op } = ops.find((o) => o.method === api.method && o.path === api.path)!;
        expect(op.operationId).toBe(api.name);
        expect(op['x-livedata-version']).toBe(api.version);
        expect(op['x-livedata-status']).toBe(api.status);
        expect(op['x-livedata-roma-app']).toBe(appNames.get(api.appId));
        const scripts = op['x-livedata-scripts'] as { type: string; content: string; result: string; datasources: string[] }[];
        expect(scripts.map((s) => ({ ...s, content: Buffer.from(s.content, 'base64').toString('utf8') }))).toEqual(api.scripts);
        expect(scripts.every((s) => /^[A-Za-z0-9+/]+=*$/.test(s.content))).toBe(true);
        if (api.signatureId === null) expect(op.security).toBeUndefined();
        else expect(op.security).toEqual([{ [sim.roma.signature(api.signatureId)!.name]: [] }]);
      }
      const schemes = Object.values(doc.securityDefinitions ?? {});
      expect(schemes.length).toBeGreaterThan(0);
      for (const scheme of schemes) {
        expect(scheme).toMatchObject({ type: 'apiKey', name: 'Authorization', in: 'header', 'x-livedata-auth-type': 'SIGNATURE' });
        expect(scheme['x-livedata-signature'].secret).toMatch(new RegExp(`^${PLANTED_ROMA_SECRET_PREFIX}`));
      }
    });

    it.each(['yaml', 'yml'] as const)('exports valid Swagger 2.0 YAML for format=%s', async (format) => {
      const response = await exportCall(sim, { format });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-yaml;charset=UTF-8');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="livedata-apis.${format}"`);
      const text = await response.text();
      const doc = await validSwagger(text, 'yaml');
      expect(typeof doc.info.version).toBe('string');
      expect(operations(doc)).toHaveLength(21);
      const json = await validSwagger(await (await exportCall(sim, { format: 'json' })).text(), 'json');
      expect(doc).toEqual(json);
    });

    it('filters by app_id, apis[] and status', async () => {
      const app = sim.roma.apps()[1];
      const byApp = await validSwagger(await (await exportCall(sim, { app_id: app.id })).text(), 'json');
      expect(byApp.info.title).toBe(app.name);
      expect(operations(byApp).map((o) => o.op.operationId).sort()).toEqual(sim.roma.apis({ appId: app.id }).map((a) => a.name).sort());

      const chosen = sim.roma.apis().filter((_, i) => i % 5 === 0);
      const byIds = await validSwagger(await (await exportCall(sim, { apis: chosen.map((a) => a.id) })).text(), 'json');
      expect(operations(byIds).map((o) => o.op.operationId).sort()).toEqual(chosen.map((a) => a.name).sort());

      for (const status of [1, 3, 4]) {
        const doc = await validSwagger(await (await exportCall(sim, { status })).text(), 'json');
        const expected = sim.roma.apis().filter((a) => LIVEDATA_STATUS_CODES[a.status] === status);
        expect(operations(doc).map((o) => o.op.operationId).sort()).toEqual(expected.map((a) => a.name).sort());
      }

      const empty = sim.roma.apps()[3];
      const none = await validSwagger(await (await exportCall(sim, { app_id: empty.id })).text(), 'json');
      expect(none.paths).toEqual({});
      expect(none.securityDefinitions).toBeUndefined();
    });

    it.each([
      [{ format: 'xml' }, 400, 'APIG.2011', /parameterName:format/],
      [{ status: 2 }, 400, 'APIG.2011', /parameterName:status/],
      [{ apis: 'x' }, 400, 'APIG.2011', /parameterName:apis/],
      [{ app_id: 'no-such-app' }, 404, 'APIG.3004', /no-such-app/],
      [{ apis: ['0123456789abcdef0123456789abcdef'] }, 404, 'APIG.3084', /livedata API does not exist/],
    ])('refuses %j with the vendor error', async (body, status, code, message) => {
      const error = await huaweiError(await exportCall(sim, body as Record<string, unknown>));
      expect(error).toMatchObject({ status, error_code: code });
      expect(error.error_msg).toMatch(message);
    });

    it('answers 404 for another instance or project, and 401 without authentication', async () => {
      const url = (ids: { projectId?: string; instanceId?: string }) => romaUrl(sim, '/openapi/livedata-apis/export', ids);
      expect(await huaweiError(await romaCall(sim, url({ instanceId: 'nope' }), { method: 'POST' }))).toMatchObject({ status: 404, error_code: 'APIG.3030' });
      expect(await huaweiError(await romaCall(sim, url({ projectId: 'p0' }), { method: 'POST' }))).toMatchObject({ status: 404, error_code: 'APIG.0101' });
      const anonymous = await fetch(url({}), { method: 'POST' });
      expect(await huaweiError(anonymous)).toMatchObject({ status: 401, error_code: 'APIG.0301' });
    });

    it('stamps each export with its time: bytes differ, content does not', async () => {
      let tick = 0;
      const clocked = await startVendorSim({ seed: 42, clock: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
      try {
        const first = await (await exportCall(clocked)).text();
        const second = await (await exportCall(clocked)).text();
        expect(first).not.toBe(second);
        const strip = (text: string) => ({ ...JSON.parse(text), info: { ...JSON.parse(text).info, version: '' } });
        expect(strip(first)).toEqual(strip(second));
      } finally {
        await clocked.close();
      }
    });

    it('shows a vendor-side edit in the next export (the rendering cache follows the estate)', async () => {
      const target = sim.roma.apis()[0];
      const before = await (await exportCall(sim)).text();
      sim.roma.patchApi(target.id, { description: 'edited by the test' });
      const after = JSON.parse(await (await exportCall(sim)).text()) as Swagger;
      expect(after.paths[target.path][target.method.toLowerCase()].description).toBe('edited by the test');
      sim.roma.patchApi(target.id, { description: target.description });
      expect(await (await exportCall(sim)).text()).toBe(before);
    });

    it('serves injected faults on the export route', async () => {
      sim.faults.inject('http-500', { route: 'roma.export' });
      expect(await huaweiError(await exportCall(sim))).toMatchObject({ status: 500, error_code: 'APIG.9999' });
      sim.faults.inject('truncated', { route: 'roma.export' });
      const truncated = await (await exportCall(sim)).text();
      expect(() => JSON.parse(truncated)).toThrow();
      expect((await exportCall(sim)).status).toBe(200);
    });
  });

  describe('the 50 MB export cap', () => {
    async function capped(overflow: 'truncate' | 'error'): Promise<VendorSim> {
      // One backend renders to roughly 2 KB: a 12 KB cap holds a few of the 21.
      return startVendorSim({ seed: 42, roma: { exportMaxBytes: 12_000, exportOverflow: overflow } });
    }

    it('leaves out whole backends past the cap, as the vendor documents, and the file stays valid', async () => {
      const small = await capped('truncate');
      try {
        const text = await (await exportCall(small)).text();
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(12_000);
        const doc = await validSwagger(text, 'json');
        const exported = operations(doc).map((o) => `${o.method} ${o.path}`);
        expect(exported.length).toBeGreaterThan(0);
        expect(exported.length).toBeLessThan(21);
        // The first backends in export order, none cut in the middle.
        const order = small.roma.apis().map((a: LiveDataApi) => `${a.method} ${a.path}`);
        expect(exported.sort()).toEqual(order.slice(0, exported.length).sort());
      } finally {
        await small.close();
      }
    });

    it('answers 400 instead when told to', async () => {
      const small = await capped('error');
      try {
        expect(await huaweiError(await exportCall(small))).toMatchObject({ status: 400, error_code: 'APIG.2011' });
        const app = small.roma.apps()[3];
        expect((await exportCall(small, { app_id: app.id })).status).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('/_sim/roma control routes', () => {
    it('edits a custom backend between two exports', async () => {
      const target = sim.roma.apis()[2];
      const url = `${sim.baseUrl}/_sim/roma/apis/${target.id}`;
      const patched = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: '9.9.9' }) });
      expect(patched.status).toBe(200);
      const doc = JSON.parse(await (await exportCall(sim)).text()) as Swagger;
      expect(doc.paths[target.path][target.method.toLowerCase()]['x-livedata-version']).toBe('9.9.9');
      const bad = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'GONE' }) });
      expect(bad.status).toBe(400);
      expect((await fetch(url, { method: 'DELETE' })).status).toBe(204);
      expect(sim.roma.api(target.id)).toBeUndefined();
      const put = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(target) });
      expect(put.status).toBe(200);
      expect(sim.roma.api(target.id)).toEqual(target);
      const summary = (await (await fetch(`${sim.baseUrl}/_sim/roma`)).json()) as Record<string, unknown>;
      expect(summary).toEqual({ instanceId: sim.roma.instanceId, apps: 4, signatures: 2, apis: 21 });
    });
  });
});
