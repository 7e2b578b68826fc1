import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { DLF_EXPORT_ROUTE, loadFaultConfigFile, startVendorSim, ZIP_BOMB_UNCOMPRESSED_SIZE, type FaultConfig, type SimFault, type VendorSim } from './index.js';
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
    // A fixed export time, so that a healthy export is byte-identical to the one before.
    sim = await startVendorSim({ seed: 42, clock: new Date('2026-03-01T08:00:00Z') });
    healthy = await exportedZip(await signedExport(sim));
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults.clear());

  /** Injects the fault once, checks the faulty answer, then checks that the next call is healthy. */
  async function once(fault: SimFault, check: (response: Response) => Promise<void>): Promise<void> {
    sim.faults.inject(fault, fault === 'replace-body' ? { replacement: { body: '{"nope": 1}', headers: { 'Content-Type': 'application/json' } } } : {});
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

  it('corrupt-zip: the entries are listed but the first one cannot be inflated', () =>
    once('corrupt-zip', async (response) => {
      const body = await exportedZip(response);
      expect(Object.keys(declaredSizes(body))).toEqual(Object.keys(declaredSizes(healthy)));
      expect(() => unzipSync(body)).toThrow();
    }));

  it('truncated: the first half, with a Content-Length that says so', () =>
    once('truncated', async (response) => {
      expect(Number(response.headers.get('content-length'))).toBe(Math.floor(healthy.length / 2));
      expect(await exportedZip(response)).toEqual(healthy.subarray(0, Math.floor(healthy.length / 2)));
    }));

  it.each([
    ['http-429', 429, 'APIG.0308', '1'],
    ['http-503', 503, 'APIG.0202', '1'],
    ['http-502', 502, 'APIG.0202', null],
    ['http-504', 504, 'APIG.0203', null],
    ['http-403', 403, 'APIG.0302', null],
  ] as const)('%s: status %i, the gateway code %s, Retry-After %s', (fault, status, code, retryAfter) =>
    once(fault, async (response) => {
      expect(response.headers.get('retry-after')).toBe(retryAfter);
      expect(await huaweiError(response)).toMatchObject({ status, error_code: code });
    }));

  it('http-429 with a chosen Retry-After, or none', async () => {
    sim.faults.inject('http-429', { retryAfterSeconds: 30 });
    sim.faults.inject('http-429', { retryAfterSeconds: null });
    const first = await signedExport(sim);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '30']);
    const second = await signedExport(sim);
    expect([second.status, second.headers.get('retry-after')]).toEqual([429, null]);
  });

  it('latency: the healthy answer, late', async () => {
    sim.faults.inject('latency', { latencyMs: 300 });
    const started = performance.now();
    const body = await exportedZip(await signedExport(sim));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sha256(body)).toBe(sha256(healthy));
  });

  it('keeps a fault the route cannot serve for a route that can', async () => {
    sim.faults.inject('page-shift');
    expect(sha256(await exportedZip(await signedExport(sim)))).toBe(sha256(healthy));
    expect(sim.faults.list()).toEqual([{ fault: 'page-shift', remaining: 1 }]);
  });

  it('replace-body: the replacement status, headers and body, over the healthy headers', () =>
    once('replace-body', async (response) => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('content-disposition')).toMatch(/DLF_All_DataConnections\.zip/);
      expect(response.headers.get('content-length')).toBe('11');
      expect(await response.text()).toBe('{"nope": 1}');
    }));

  it('replace-body: bytes, base64, a stream, or a function of the healthy body', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0xff, 0x00, 0xfe]);
    sim.faults.inject('replace-body', { replacement: { body: bytes } });
    sim.faults.inject('replace-body', { replacement: { bodyBase64: bytes.toString('base64'), status: 502 } });
    sim.faults.inject('replace-body', { replacement: { body: () => Readable.from([Buffer.from('chunk one, '), Buffer.from('chunk two')]) } });
    sim.faults.inject('replace-body', { replacement: { body: (healthyBody) => healthyBody.subarray(0, 4) } });
    const first = await signedExport(sim);
    expect([first.status, Buffer.from(await first.arrayBuffer())]).toEqual([200, bytes]);
    const second = await signedExport(sim);
    expect([second.status, Buffer.from(await second.arrayBuffer())]).toEqual([502, bytes]);
    const third = await signedExport(sim);
    expect([third.headers.get('content-length'), third.headers.get('transfer-encoding'), await third.text()]).toEqual([null, 'chunked', 'chunk one, chunk two']);
    const fourth = await signedExport(sim);
    expect(Buffer.from(await fourth.arrayBuffer())).toEqual(healthy.subarray(0, 4));
  });

  it('replace-body needs a replacement, with one body, and no other fault takes one', () => {
    expect(() => sim.faults.inject('replace-body')).toThrow(/replacement: replace-body needs a replacement/);
    expect(() => sim.faults.inject('replace-body', { replacement: {} })).toThrow(/either body or bodyBase64/);
    expect(() => sim.faults.inject('replace-body', { replacement: { body: 'a', bodyBase64: 'YQ==' } })).toThrow(/either body or bodyBase64/);
    expect(() => sim.faults.inject('http-500', { replacement: { body: 'a' } })).toThrow(/only replace-body takes one/);
    expect(() => sim.faults.addRule({ fault: 'replace-body', replacement: { body: 'a', status: 99 } })).toThrow(/replacement\.status/);
  });

  it('refuses unknown faults and bad counts', () => {
    expect(() => sim.faults.inject('nope' as SimFault)).toThrow(/unknown fault/);
    expect(() => sim.faults.inject('reset', { times: 0 })).toThrow(/positive integer/);
  });
});

describe('vendor-sim fault rules from a file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vendor-sim-faults-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const yaml = `# 30% of DLF exports fail with 503, every DLF call is 5-25 ms late, the 7th export is cut
rules:
  - route: dlf.export
    fault: http-503
    rate: 0.3
  - route: dlf
    fault: latency
    latencyMs: [5, 25]
  - route: dlf.export
    fault: reset
    calls: [7]
`;

  /** What a client sees over 20 calls: one status (or "reset") per call, and the injector's record. */
  async function run(config: FaultConfig, seed: number) {
    const sim = await startVendorSim({ seed, faults: config });
    try {
      const seen: string[] = [];
      for (let i = 0; i < 20; i++) {
        const response = await signedExport(sim);
        seen.push(await response.arrayBuffer().then(() => String(response.status), () => 'reset'));
      }
      return { seen, history: sim.faults.history() };
    } finally {
      await sim.close();
    }
  }

  it('gives the same faults for the same seed and calls, other faults for another seed', async () => {
    const file = path.join(dir, 'faults.yaml');
    writeFileSync(file, yaml);
    const config = loadFaultConfigFile(file);
    const first = await run(config, 5);
    const second = await run(config, 5);
    expect(second).toEqual(first);

    expect(first.seen.filter((s) => s === '503').length).toBeGreaterThan(0);
    expect(first.seen.filter((s) => s === '200').length).toBeGreaterThan(0);
    expect(first.seen[6]).toBe(first.history.some((f) => f.fault === 'http-503' && f.call === 7) ? '503' : 'reset');
    const latencies = first.history.filter((f) => f.fault === 'latency').map((f) => f.latencyMs);
    expect(latencies).toHaveLength(20);
    expect(latencies.every((ms) => ms >= 5 && ms <= 25)).toBe(true);

    const reseeded = await run({ ...config, seed: 6 }, 5);
    expect(reseeded.seen).not.toEqual(first.seen);
  });

  it('reads the same rules from JSON', () => {
    const file = path.join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify({ rules: [{ route: 'dlf.export', fault: 'http-503', rate: 0.3 }] }));
    expect(loadFaultConfigFile(file)).toEqual({ rules: [{ route: 'dlf.export', fault: 'http-503', rate: 0.3 }] });
  });

  it('names the bad field of a bad file', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'rules:\n  - fault: http-503\n    rate: 1.5\n  - fault: latency\n');
    expect(() => loadFaultConfigFile(file)).toThrow(/rules\.0\.rate.*rules\.1\.latencyMs/s);
  });
});
