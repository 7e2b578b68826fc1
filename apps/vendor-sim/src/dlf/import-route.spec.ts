import { zipSync } from 'fflate';
import { signHuaweiRequest } from '#cloud-auth';
import { startVendorSim, type VendorSim } from '../index.js';

describe('vendor-sim DLF connections import', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim({ seed: 5, scale: 1 });
  });
  afterAll(() => sim.close());

  async function importZip(files: Record<string, unknown>, policy: string) {
    const body = Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([name, value]) => [name, Buffer.from(JSON.stringify(value))]))));
    const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/import?sameNamePolicy=${policy}`;
    const headers = { 'content-type': 'application/octet-stream' };
    return fetch(url, { method: 'POST', headers: { ...headers, ...signHuaweiRequest({ method: 'POST', url, headers, body }, sim.credentials) }, body });
  }

  it('imports new connections and, with OVERWRITE only, replaces same-named ones', async () => {
    const existing = sim.dlf.list()[0]!;
    const added = { name: 'imported_conn', type: 'DWS', config: { ip: '10.0.0.9', port: '8000' }, description: 'restored' };
    const changed = { ...existing, description: 'overwritten by import' };

    const skip = await importZip({ 'connections/imported_conn.conn': added, [`connections/${existing.name}.conn`]: changed }, 'SKIP');
    expect(skip.status).toBe(200);
    expect(await skip.json()).toEqual({ taskId: expect.any(String) });
    expect(sim.dlf.get('imported_conn')).toEqual(added);
    expect(sim.dlf.get(existing.name)?.description).toBe(existing.description);

    const overwrite = await importZip({ [`connections/${existing.name}.conn`]: changed }, 'OVERWRITE');
    expect(overwrite.status).toBe(200);
    expect(sim.dlf.get(existing.name)?.description).toBe('overwritten by import');
  });

  it('refuses a body that is not a connection export, with a Huawei error', async () => {
    const response = await importZip({ 'connections/bad.conn': { name: 'x' } }, 'SKIP');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: 'APIG.2001' });
  });
});
