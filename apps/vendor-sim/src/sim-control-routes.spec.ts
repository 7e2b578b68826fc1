import { startVendorSim, type DlfConnection, type VendorSim } from './index.js';
import { connectionsIn, exportedZip, signedExport } from './test/sim-client.js';

describe('vendor-sim /_sim/ control API switch', () => {
  it('is off by default: every /_sim/ path answers 404 and changes nothing', async () => {
    const sim = await startVendorSim();
    try {
      for (const [method, path] of [['GET', '/faults'], ['POST', '/faults'], ['GET', '/estate'], ['GET', '/dlf/connections'], ['DELETE', '/dlf/connections/x']]) {
        const response = await fetch(`${sim.baseUrl}/_sim${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"fault":"http-500"}' : undefined });
        expect([method, path, response.status]).toEqual([method, path, 404]);
        expect(((await response.json()) as { error: string }).error).toMatch(/--admin/);
      }
      expect(sim.faults.list()).toEqual([]);
      expect((await signedExport(sim)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('is on with admin: true', async () => {
    const sim = await startVendorSim({ admin: true });
    try {
      expect((await fetch(`${sim.baseUrl}/_sim/faults`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});

describe('vendor-sim /_sim/ control API', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim({ admin: true });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults.clear());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.baseUrl}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('injects and clears faults over HTTP, without authentication', async () => {
    expect((await control('POST', '/faults', { fault: 'http-500', times: 2 })).status).toBe(204);
    expect(await (await control('GET', '/faults')).json()).toEqual({ faults: [{ fault: 'http-500', remaining: 2 }], rules: [], seed: 42 });
    expect((await signedExport(sim)).status).toBe(500);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await signedExport(sim)).status).toBe(200);
    expect((await control('POST', '/faults', { fault: 'meteor' })).status).toBe(400);
    expect((await control('POST', '/faults', { fault: 'reset', times: -1 })).status).toBe(400);
    expect((await control('POST', '/faults', { fault: 'reset', colour: 'red' })).status).toBe(400);
  });

  it('queues a 429 with its Retry-After and latency', async () => {
    expect((await control('POST', '/faults', { fault: 'http-429', route: 'dlf', retryAfterSeconds: 3, latencyMs: 50 })).status).toBe(204);
    const started = Date.now();
    const response = await signedExport(sim);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
  });

  it('adds, lists, replaces (JSON or YAML) and removes fault rules, and shows what fired', async () => {
    const added = await control('POST', '/faults/rules', { route: 'dlf.export', fault: 'http-503', calls: [2] });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ id: 1, route: 'dlf.export', fault: 'http-503', calls: [2], fired: 0 });
    expect((await control('POST', '/faults/rules', { fault: 'http-503', rate: 2 })).status).toBe(400);

    expect((await signedExport(sim)).status).toBe(200);
    expect((await signedExport(sim)).status).toBe(503);
    expect((await signedExport(sim)).status).toBe(200);
    expect(await (await control('GET', '/faults/history')).json()).toEqual({
      history: [{ route: 'dlf.export', call: 2, fault: 'http-503', latencyMs: 0, by: 1 }],
    });

    const yaml = 'seed: 9\nrules:\n  - route: dlf\n    fault: html-200\n    times: 1\n';
    const replaced = await fetch(`${sim.baseUrl}/_sim/faults/rules`, { method: 'PUT', headers: { 'content-type': 'application/yaml' }, body: yaml });
    expect(await replaced.json()).toEqual({ seed: 9, rules: [{ id: 1, route: 'dlf', fault: 'html-200', times: 1, fired: 0 }] });
    expect((await signedExport(sim)).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await control('PUT', '/faults/rules', { rules: [{ fault: 'nope' }] })).status).toBe(400);
    const bad = await fetch(`${sim.baseUrl}/_sim/faults/rules`, { method: 'PUT', headers: { 'content-type': 'text/yaml' }, body: 'rules: [' });
    expect(bad.status).toBe(400);

    expect((await control('DELETE', '/faults/rules/1')).status).toBe(204);
    expect((await control('DELETE', '/faults/rules/1')).status).toBe(404);
    expect(await (await control('GET', '/faults/rules')).json()).toEqual({ seed: 9, rules: [] });
  });

  it('counts the estate per vendor', async () => {
    const estate = (await (await control('GET', '/estate')).json()) as { vendors: Record<string, Record<string, number>> };
    expect(estate.vendors.dlf).toEqual({ connections: 16, workspaces: 2 });
    expect(estate).toEqual(sim.estate());
  });

  it('lists, upserts and deletes DLF connections', async () => {
    const listed = (await (await control('GET', '/dlf/connections')).json()) as { connections: DlfConnection[] };
    expect(listed.connections).toHaveLength(12);

    const put = await control('PUT', '/dlf/connections/host_jump_001', { type: 'HOST', config: { ip: '10.1.1.1', port: '22' }, description: '跳板机' });
    expect(put.status).toBe(200);
    let exported = connectionsIn(await exportedZip(await signedExport(sim)));
    expect(exported['connections/host_jump_001.conn']).toEqual({
      name: 'host_jump_001',
      type: 'HOST',
      config: { ip: '10.1.1.1', port: '22' },
      description: '跳板机',
    });

    expect((await control('DELETE', '/dlf/connections/host_jump_001')).status).toBe(204);
    expect((await control('DELETE', '/dlf/connections/host_jump_001')).status).toBe(404);
    exported = connectionsIn(await exportedZip(await signedExport(sim)));
    expect(exported['connections/host_jump_001.conn']).toBeUndefined();
  });

  it('refuses invalid connections and malformed JSON', async () => {
    expect((await control('PUT', '/dlf/connections/x', { type: 'ORACLE', config: {} })).status).toBe(400);
    expect((await control('PUT', '/dlf/connections/x', { name: 'y', type: 'HOST', config: {} })).status).toBe(400);
    expect((await control('PUT', '/dlf/connections/a%5Cb', { type: 'HOST', config: {} })).status).toBe(400);
    const malformed = await fetch(`${sim.baseUrl}/_sim/dlf/connections/x`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
  });

  it('lists the vendor calls received, by vendor and since an instant, each with its arrival time', async () => {
    sim.requests.length = 0;
    const since = Date.now();
    // Unsigned calls are refused, but each is logged under the vendor it was addressed to.
    const calls: Array<[string, string, string | undefined]> = [
      ['POST', `/v1/${sim.projectId}/connections/export`, 'dlf'],
      ['POST', `/v1/${sim.projectId}/service/export/zip`, 'dataservice'],
      ['GET', `/v2/${sim.projectId}/apigw/instances/i-1/api-groups`, 'apig'],
      ['GET', `/v2/${sim.projectId}/apic/instances/i-1/apps`, 'roma'],
      ['POST', '/v3/auth/tokens', 'iam'],
      ['POST', '/?Action=ListDataServiceApis&Version=2020-05-18', 'dataworks'],
      ['GET', '/no/such/vendor', undefined],
    ];
    for (const [method, path] of calls) await (await fetch(`${sim.baseUrl}${path}`, { method })).arrayBuffer();

    const all = (await (await control('GET', `/requests?since=${since}`)).json()) as { requests: Array<Record<string, unknown>> };
    expect(all.requests.map((r) => [r.method, r.path, r.vendor])).toEqual(calls.map(([method, path, vendor]) => [method, path.split('?')[0], vendor]));
    for (const request of all.requests) expect(request.receivedAt).toEqual(expect.any(Number));
    const dataworks = (await (await control('GET', `/requests?vendor=dataworks&since=${since}`)).json()) as { requests: Array<Record<string, unknown>> };
    expect(dataworks.requests).toEqual([expect.objectContaining({ vendor: 'dataworks', status: 400 })]);
    expect(await (await control('GET', `/requests?since=${Date.now() + 60_000}`)).json()).toEqual({ requests: [] });
    expect((await control('GET', '/requests?vendor=azure')).status).toBe(400);
    expect((await control('GET', '/requests?since=yesterday')).status).toBe(400);
  });

  it('is not logged as a vendor call', async () => {
    sim.requests.length = 0;
    await control('GET', '/dlf/workspaces');
    expect(sim.requests).toEqual([]);
  });
});
