import { createHash } from 'node:crypto';
import { signHuaweiRequest } from '#cloud-auth';
import { unzipSync } from 'fflate';
import {
  DEFAULT_DLF_WORKSPACE,
  DLF_CONNECTION_TYPES,
  MASKED_PASSWORD,
  PLANTED_SECRET_PREFIX,
  SECONDARY_DLF_WORKSPACE,
  startVendorSim,
  type DlfConnection,
  type VendorSim,
} from './index.js';
import { connectionsIn, exportedZip, exportUrl, huaweiError, signedExport } from './test/sim-client.js';
import { officialHuaweiSign } from '../../../test/support/official-huawei-signer.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Pinned export time: byte-identical exports, for the tests that compare bytes. */
const FIXED_CLOCK = new Date('2026-03-01T08:00:00Z');

describe('vendor-sim DLF export', () => {
  let sim: VendorSim;
  beforeAll(async () => {
    sim = await startVendorSim({ seed: 42, scale: 1, clock: FIXED_CLOCK });
  });
  afterAll(() => sim.close());

  it('serves the seeded connections to a signed request, as DLF_All_DataConnections.zip', async () => {
    const response = await signedExport(sim);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="DLF_All_DataConnections.zip"');
    const connections = connectionsIn(await exportedZip(response));

    const names = Object.keys(connections);
    expect(names).toHaveLength(12);
    expect(names.every((n) => /^connections\/[^/]+\.conn$/.test(n))).toBe(true);
    const docs = Object.values(connections) as DlfConnection[];
    expect(new Set(docs.map((c) => c.type))).toEqual(new Set(DLF_CONNECTION_TYPES));
    for (const doc of docs) expect(Object.keys(doc)).toEqual(['name', 'type', 'config', 'description']);
    for (const [entry, doc] of Object.entries(connections)) expect(entry).toBe(`connections/${(doc as DlfConnection).name}.conn`);

    const passwords = docs.map((c) => c.config.password);
    expect(passwords).toContain(MASKED_PASSWORD);
    expect(passwords.some((p) => typeof p === 'string' && p.startsWith(PLANTED_SECRET_PREFIX))).toBe(true);
    expect(docs.some((c) => c.type !== 'DLI' && c.type !== 'CloudTable' && !('password' in c.config))).toBe(true);
    const dws = docs.find((c) => c.type === 'DWS');
    expect(Object.keys(dws!.config)).toEqual(expect.arrayContaining(['clusterName', 'ip', 'port', 'userName', 'sslEnable', 'kmsKey', 'agentName']));
  });

  it('accepts an IAM token in X-Auth-Token', async () => {
    const response = await fetch(exportUrl(sim), { method: 'POST', headers: { 'X-Auth-Token': sim.credentials.token } });
    expect(Object.keys(connectionsIn(await exportedZip(response)))).toHaveLength(12);
  });

  it('accepts a request signed by the official Huawei SDK signer', async () => {
    const url = exportUrl(sim);
    const json = { note: '中文' };
    const { host: _host, ...headers } = officialHuaweiSign({
      method: 'POST',
      endpoint: url,
      headers: { 'content-type': 'application/json', 'X-Project-Id': sim.projectId },
      json,
      ...sim.credentials,
    });
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(json) });
    expect(Object.keys(connectionsIn(await exportedZip(response)))).toHaveLength(12);
  });

  it('exports the workspace named by the workspace header', async () => {
    const secondary = connectionsIn(await exportedZip(await signedExport(sim, { workspace: SECONDARY_DLF_WORKSPACE })));
    expect(Object.keys(secondary).length).toBe(4);
    expect(Object.keys(secondary).every((n) => n.startsWith('connections/dev_'))).toBe(true);
    const explicitDefault = await exportedZip(await signedExport(sim, { workspace: DEFAULT_DLF_WORKSPACE }));
    expect(sha256(explicitDefault)).toBe(sha256(await exportedZip(await signedExport(sim))));
  });

  it('answers an unknown workspace with 400 and a Huawei body', async () => {
    expect(await huaweiError(await signedExport(sim, { workspace: 'ffffffffffffffffffffffffffffffff' }))).toEqual({
      status: 400,
      error_code: 'DLS.1000',
      error_msg: 'Workspace does not exists',
    });
  });

  it('answers another project id with 404 and a Huawei body', async () => {
    const error = await huaweiError(await signedExport(sim, { projectId: '0'.repeat(32) }));
    expect(error).toMatchObject({ status: 404, error_code: 'APIG.0101' });
  });

  it('answers an unknown authenticated route with 404 APIG.0101', async () => {
    const response = await fetch(`${sim.baseUrl}/v1/${sim.projectId}/nothing`, { headers: { 'X-Auth-Token': sim.credentials.token } });
    expect(await huaweiError(response)).toMatchObject({ status: 404, error_code: 'APIG.0101' });
  });

  describe('authentication failures', () => {
    const url = () => exportUrl(sim);
    const body = '{"a":1}';
    const signed = (overrides: { secret?: string; ak?: string; now?: Date } = {}) =>
      signHuaweiRequest(
        { method: 'POST', url: url(), headers: { 'content-type': 'application/json' }, body },
        { accessKeyId: overrides.ak ?? sim.credentials.accessKeyId, secretAccessKey: overrides.secret ?? sim.credentials.secretAccessKey },
        overrides.now,
      );
    const send = (headers: Record<string, string>, sentBody = body, target = url()) =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sentBody });

    it.each([
      ['no credentials at all', () => send({}), /Authorization header not found/],
      ['a wrong secret key', () => send(signed({ secret: 'not-the-secret' })), /verify aksk signature fail/],
      ['a changed body', () => send(signed(), '{"a":2}'), /verify aksk signature fail/],
      // (a trailing slash would not do: the canonical URI always ends with one, by the vendor's design)
      ['a changed path', () => send(signed(), body, url().replace(sim.projectId, 'f'.repeat(32))), /verify aksk signature fail/],
      ['a stale X-Sdk-Date', () => send(signed({ now: new Date(Date.now() - 16 * 60_000) })), /X-Sdk-Date is expired/],
      ['an unknown access key', () => send(signed({ ak: 'SIMAKNOBODY000000000' })), /ak not exist/],
      ['a malformed Authorization', () => send({ ...signed(), Authorization: 'SDK-HMAC-SHA256 garbage' }), /malformed/],
      ['a wrong token', () => send({ 'X-Auth-Token': 'MIIwrong' }), /decrypt token fail/],
    ])('rejects %s with 401 APIG.0301', async (_, call, message) => {
      const error = await huaweiError(await call());
      expect(error).toMatchObject({ status: 401, error_code: 'APIG.0301' });
      expect(error.error_msg).toMatch(message);
    });
  });

  it('shows DlfState edits in the next export, and is byte-identical when nothing changed', async () => {
    const before = await exportedZip(await signedExport(sim));
    expect(sha256(await exportedZip(await signedExport(sim)))).toBe(sha256(before));

    const [first, second] = sim.dlf.list();
    sim.dlf.upsert({ ...first, description: 'edited by a test' });
    sim.dlf.remove(second.name);
    sim.dlf.upsert({ name: 'rds_新连接', type: 'RDS', config: { ip: '10.0.0.9', port: '3306', userName: 'u' }, description: '' });
    try {
      const after = connectionsIn(await exportedZip(await signedExport(sim)));
      expect((after[`connections/${first.name}.conn`] as DlfConnection).description).toBe('edited by a test');
      expect(after[`connections/${second.name}.conn`]).toBeUndefined();
      expect(after['connections/rds_新连接.conn']).toMatchObject({ type: 'RDS', config: { ip: '10.0.0.9' } });
    } finally {
      sim.dlf.remove('rds_新连接');
      sim.dlf.upsert(second);
      sim.dlf.upsert(first);
    }
    expect(sha256(await exportedZip(await signedExport(sim)))).toBe(sha256(before));
  });

  it('logs vendor calls with their status, vendor and arrival time', async () => {
    sim.requests.length = 0;
    const before = Date.now();
    await (await signedExport(sim)).arrayBuffer();
    await (await fetch(exportUrl(sim), { method: 'POST' })).arrayBuffer();
    expect(sim.requests).toEqual([
      { method: 'POST', path: `/v1/${sim.projectId}/connections/export`, status: 200, vendor: 'dlf', receivedAt: expect.any(Number) },
      { method: 'POST', path: `/v1/${sim.projectId}/connections/export`, status: 401, vendor: 'dlf', receivedAt: expect.any(Number) },
    ]);
    const [first, second] = sim.requests.map((r) => r.receivedAt);
    expect(first).toBeGreaterThanOrEqual(before);
    expect(second).toBeGreaterThanOrEqual(first!);
    expect(second).toBeLessThanOrEqual(Date.now());
  });
});

describe('vendor-sim determinism', () => {
  const exportOf = async (options: Parameters<typeof startVendorSim>[0]) => {
    const sim = await startVendorSim(options);
    try {
      return await exportedZip(await signedExport(sim));
    } finally {
      await sim.close();
    }
  };

  it('gives byte-identical zips for the same seed, scale and export time, different ones otherwise', async () => {
    const a = await exportOf({ seed: 7, scale: 1, clock: FIXED_CLOCK });
    const b = await exportOf({ seed: 7, scale: 1, clock: FIXED_CLOCK });
    expect(sha256(a)).toBe(sha256(b));
    expect(sha256(await exportOf({ seed: 8, scale: 1, clock: FIXED_CLOCK }))).not.toBe(sha256(a));
    expect(sha256(await exportOf({ seed: 7, scale: 2, clock: FIXED_CLOCK }))).not.toBe(sha256(a));
  });

  it('stamps each export with its time: two exports of an unchanged estate differ in bytes, not in content', async () => {
    let now = Date.parse('2026-03-01T08:00:00Z');
    const sim = await startVendorSim({ seed: 7, clock: () => new Date((now += 60_000)) });
    try {
      const first = await exportedZip(await signedExport(sim));
      const second = await exportedZip(await signedExport(sim));
      expect(sha256(second)).not.toBe(sha256(first));
      expect(connectionsIn(second)).toEqual(connectionsIn(first));
      // The first entry's DOS time and date (local header offsets 10 and 12): one minute apart.
      const stamp = (zip: Buffer) => ({ minute: (zip.readUInt16LE(10) >> 5) & 63, hour: zip.readUInt16LE(10) >> 11, date: zip.readUInt16LE(12) });
      expect(stamp(first)).toEqual({ hour: 8, minute: 1, date: ((2026 - 1980) << 9) | (3 << 5) | 1 });
      expect(stamp(second)).toEqual({ ...stamp(first), minute: 2 });
    } finally {
      await sim.close();
    }
  });

  it('writes the wall-clock export time by default', async () => {
    const sim = await startVendorSim({ seed: 7 });
    try {
      const zip = await exportedZip(await signedExport(sim));
      // DOS date of the first local header (offset 12): days, months and years since 1980, in UTC fields.
      const dosDate = zip.readUInt16LE(12);
      const today = new Date();
      expect({ year: (dosDate >> 9) + 1980, month: (dosDate >> 5) & 15 }).toEqual({ year: today.getUTCFullYear(), month: today.getUTCMonth() + 1 });
    } finally {
      await sim.close();
    }
  });

  it('scales the number of connections', async () => {
    expect(Object.keys(unzipSync(await exportOf({ scale: 2.5 })))).toHaveLength(30);
    expect(Object.keys(unzipSync(await exportOf({ scale: 0 })))).toHaveLength(0);
  });

  it('accepts configured accounts, tokens and project id', async () => {
    const accounts = [
      { accessKeyId: 'AKONE000000000000001', secretAccessKey: 'one' },
      { accessKeyId: 'AKTWO000000000000002', secretAccessKey: 'two' },
    ];
    const sim = await startVendorSim({ accounts, tokens: ['tok-1', 'tok-2'], projectId: 'p'.repeat(32) });
    try {
      expect(sim.credentials).toEqual({ ...accounts[0], token: 'tok-1' });
      expect((await signedExport(sim, { credentials: accounts[1] })).status).toBe(200);
      expect((await fetch(exportUrl(sim), { method: 'POST', headers: { 'X-Auth-Token': 'tok-2' } })).status).toBe(200);
      expect(exportUrl(sim)).toContain(`/v1/${'p'.repeat(32)}/`);
    } finally {
      await sim.close();
    }
  });
});
