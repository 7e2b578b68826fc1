import { startVendorSim, type DlfConnection, type VendorSim } from './index.js';
import { connectionsIn, exportedZip, signedExport } from './test/sim-client.js';

describe('vendor-sim /_sim/ control API', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim();
  });
  afterAll(() => sim.close());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.baseUrl}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('injects and clears faults over HTTP, without authentication', async () => {
    expect((await control('POST', '/faults', { fault: 'http-500', times: 2 })).status).toBe(204);
    expect(await (await control('GET', '/faults')).json()).toEqual({ faults: [{ fault: 'http-500', remaining: 2 }] });
    expect((await signedExport(sim)).status).toBe(500);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await signedExport(sim)).status).toBe(200);
    expect((await control('POST', '/faults', { fault: 'meteor' })).status).toBe(400);
    expect((await control('POST', '/faults', { fault: 'reset', times: -1 })).status).toBe(400);
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

  it('is not logged as a vendor call', async () => {
    sim.requests.length = 0;
    await control('GET', '/dlf/workspaces');
    expect(sim.requests).toEqual([]);
  });
});
