import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { DLF_EXPORT_ROUTE, startVendorSim, ZIP_BOMB_UNCOMPRESSED_SIZE, type SimFault, type VendorSim } from './index.js';
import { exportedZip, huaweiError, signedExport } from './test/sim-client.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Entry name -> declared uncompressed size, without inflating anything. */
function declaredSizes(zip: Uint8Array): Record<string, number> {
  const sizes: Record<string, number> = {};
  unzipSync(zip, {
    filter: (file) => {
      sizes[file.name] = file.originalSize;
      return false;
    },
  });
  return sizes;
}

describe('vendor-sim faults', () => {
  let sim: VendorSim;
  let healthy: Buffer;
  beforeAll(async () => {
    sim = await startVendorSim({ seed: 42 });
    healthy = await exportedZip(await signedExport(sim));
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults.clear());

  /** Injects the fault once, checks the faulty answer, then checks that the next call is healthy. */
  async function once(fault: SimFault, check: (response: Response) => Promise<void>): Promise<void> {
    sim.faults.inject(fault);
    await check(await signedExport(sim));
    expect(sha256(await exportedZip(await signedExport(sim)))).toBe(sha256(healthy));
  }

  it('http-401: a Huawei 401 body', () =>
    once('http-401', async (response) => {
      expect(await huaweiError(response)).toMatchObject({ status: 401, error_code: 'APIG.0301' });
    }));

  it('http-500: a Huawei 500 body', () =>
    once('http-500', async (response) => {
      expect(await huaweiError(response)).toMatchObject({ status: 500, error_code: 'APIG.9999' });
    }));

  it('html-200: an HTML error page with status 200', () =>
    once('html-200', async (response) => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
    }));

  it('truncated-zip: the first half of the valid zip', () =>
    once('truncated-zip', async (response) => {
      const body = await exportedZip(response);
      expect(body).toEqual(healthy.subarray(0, Math.floor(healthy.length / 2)));
      expect(() => unzipSync(body)).toThrow();
    }));

  it('not-zip: random bytes as application/octet-stream', () =>
    once('not-zip', async (response) => {
      const body = await exportedZip(response);
      expect(body.subarray(0, 2).toString('latin1')).not.toBe('PK');
      expect(() => unzipSync(body)).toThrow();
    }));

  it.each([
    ['zip-slip', '../../evil.conn'],
    ['absolute-path', '/etc/evil.conn'],
  ] as const)('%s: the valid entries plus one named %s', (fault, hostileName) =>
    once(fault, async (response) => {
      const names = Object.keys(unzipSync(await exportedZip(response)));
      expect(names).toContain(hostileName);
      expect(names.filter((n) => n !== hostileName)).toEqual(Object.keys(unzipSync(healthy)));
    }));

  it('zip-bomb: a 64 MiB .conn entry in well under 1 MiB', () =>
    once('zip-bomb', async (response) => {
      const body = await exportedZip(response);
      expect(body.length).toBeLessThan(1024 * 1024);
      const sizes = declaredSizes(body);
      expect(sizes['connections/zz_bomb.conn']).toBe(ZIP_BOMB_UNCOMPRESSED_SIZE);
      expect(Object.keys(sizes)).toHaveLength(13);
    }));

  it('bad-json-conn: one .conn entry that is not JSON', () =>
    once('bad-json-conn', async (response) => {
      const entries = unzipSync(await exportedZip(response));
      const unparseable = Object.entries(entries).filter(([, data]) => {
        try {
          JSON.parse(new TextDecoder().decode(data));
          return false;
        } catch {
          return true;
        }
      });
      expect(unparseable.map(([name]) => name)).toEqual(['connections/zz_broken.conn']);
      expect(Object.keys(entries)).toHaveLength(13);
    }));

  it('reset: headers and half a body, then the connection drops', () =>
    once('reset', async (response) => {
      expect(response.status).toBe(200);
      expect(Number(response.headers.get('content-length'))).toBe(healthy.length);
      await expect(response.arrayBuffer()).rejects.toThrow();
    }));

  it('applies to the next N calls, in injection order, only on its route', async () => {
    sim.faults.inject('http-500', { times: 2 });
    sim.faults.inject('http-401', { route: 'apig.export' });
    sim.faults.inject('html-200', { route: DLF_EXPORT_ROUTE });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await signedExport(sim);
      statuses.push(`${response.status} ${response.headers.get('content-type')?.split(';')[0]}`);
      await response.arrayBuffer();
    }
    expect(statuses).toEqual(['500 application/json', '500 application/json', '200 text/html', '200 application/octet-stream']);
    expect(sim.faults.list()).toEqual([{ fault: 'http-401', remaining: 1, route: 'apig.export' }]);
  });

  it('does not spend faults on calls that fail authentication', async () => {
    sim.faults.inject('http-500');
    expect((await fetch(`${sim.baseUrl}/v1/${sim.projectId}/connections/export`, { method: 'POST' })).status).toBe(401);
    expect((await signedExport(sim)).status).toBe(500);
  });

  it('refuses unknown faults and bad counts', () => {
    expect(() => sim.faults.inject('nope' as SimFault)).toThrow(/unknown fault/);
    expect(() => sim.faults.inject('reset', { times: 0 })).toThrow(/positive integer/);
  });
});
