import { DEFAULT_DLF_WORKSPACE, startVendorSim, type VendorSim } from '../vendor-sim.js';
import { exportedIds, exportZip, zipOf } from './test/dataservice-client.js';

describe('/_sim/dataservice control routes', () => {
  let sim: VendorSim;
  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.baseUrl}/_sim/dataservice${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } }) as Promise<
      Omit<Response, 'json'> & { json(): Promise<any> }
    >;

  beforeAll(async () => {
    sim = await startVendorSim({ seed: 9, admin: true, dataService: { exportWindowMs: 0 } });
  });
  afterAll(() => sim.close());

  it('lists workspaces with their API counts per edition', async () => {
    const body = await (await control('/workspaces')).json();
    expect(body.defaultWorkspace).toBe(DEFAULT_DLF_WORKSPACE);
    expect(body.workspaces[0]).toEqual({ workspace: DEFAULT_DLF_WORKSPACE, apis: { SHARED: 6, EXCLUSIVE: 24 } });
    expect(((await (await fetch(`${sim.baseUrl}/_sim/estate`)).json()) as any).vendors.dataservice).toEqual({ apis: 40, workspaces: 2 });
  });

  it('creates, modifies and deletes an API, and the vendor export follows', async () => {
    const list = await (await control('/apis?dlmType=EXCLUSIVE')).json();
    expect(list.apis).toHaveLength(24);
    const template = list.apis[0];
    const id = 'c'.repeat(32);
    const created = await control(`/apis/${id}?dlmType=EXCLUSIVE`, { method: 'PUT', body: JSON.stringify({ ...template, id: undefined, name: 'created_by_test' }) });
    expect(created.status).toBe(200);
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE, dlmType: 'EXCLUSIVE' })))).toContain(id);

    const modified = await control(`/apis/${id}?dlmType=EXCLUSIVE`, { method: 'PUT', body: JSON.stringify({ ...template, id, name: 'created_by_test', path: '/changed' }) });
    expect((await modified.json()).path).toBe('/changed');
    expect((await (await control(`/apis/${id}?dlmType=EXCLUSIVE`)).json()).path).toBe('/changed');

    expect((await control(`/apis/${id}?dlmType=EXCLUSIVE`, { method: 'DELETE' })).status).toBe(204);
    expect((await control(`/apis/${id}?dlmType=EXCLUSIVE`, { method: 'DELETE' })).status).toBe(404);
    expect(await exportedIds(await zipOf(await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE, dlmType: 'EXCLUSIVE' })))).not.toContain(id);
  });

  it('refuses an invalid API or a name already taken, naming the problem', async () => {
    const [first, second] = (await (await control('/apis')).json()).apis;
    const invalid = await control(`/apis/${first.id}`, { method: 'PUT', body: JSON.stringify({ ...first, protocol: 'FTP' }) });
    expect([invalid.status, (await invalid.json()).error]).toEqual([400, expect.stringContaining('protocol')]);
    const taken = await control(`/apis/${first.id}`, { method: 'PUT', body: JSON.stringify({ ...first, name: second.name }) });
    expect([taken.status, (await taken.json()).error]).toEqual([400, expect.stringContaining('already exists')]);
    expect((await control('/apis?dlmType=OTHER')).status).toBe(400);
  });

  it('changes the export settings and resets the export windows', async () => {
    const settings = await control('/settings', { method: 'PUT', body: JSON.stringify({ locale: 'zh', exportWindowMs: 60_000, retryAfter: false }) });
    expect(await settings.json()).toEqual({ locale: 'zh', exportWindowMs: 60_000, retryAfter: false });
    // The earlier tests' exports fall inside the new window.
    expect((await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE })).status).toBe(429);
    await control('/export-limit', { method: 'DELETE' });
    expect((await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE })).status).toBe(200);
    expect((await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE })).status).toBe(429);
    expect((await control('/export-limit', { method: 'DELETE' })).status).toBe(204);
    const zip = await zipOf(await exportZip(sim, { workspace: DEFAULT_DLF_WORKSPACE }));
    expect(await exportedIds(zip, 'API编号')).toHaveLength(6);
    expect((await control('/settings', { method: 'PUT', body: JSON.stringify({ locale: 'fr' }) })).status).toBe(400);
    await control('/settings', { method: 'PUT', body: JSON.stringify({ locale: 'en', exportWindowMs: 0, retryAfter: true }) });
  });
});
