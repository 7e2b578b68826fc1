import { startVendorSim, DATAWORKS_PROJECT_IDS, DATAWORKS_TENANT_ID, type VendorSim } from '#vendor-sim';
import type { VendorCredential } from '#cloud-auth';
import { ConfigError, ConnectorError, VendorCallError } from '../errors.js';
import { defaultConnectorRegistry } from '../registry.js';
import { TempFiles } from '../test/zip-fixtures.js';
import type { DataWorksConfig } from './dataworks-config.js';
import { DATAWORKS_DATASERVICE_KIND, DataWorksConnector } from './dataworks-connector.js';
import { recordingContext, runConnector } from './test/dataworks-harness.js';

const connector = new DataWorksConnector();
const temp = new TempFiles();
const [FIRST, SECOND] = DATAWORKS_PROJECT_IDS;
let sim: VendorSim;
let credential: VendorCredential;

beforeAll(async () => {
  sim = await startVendorSim({ seed: 5 });
  credential = { type: 'aliyun-ak', ...sim.aliyunCredentials };
});
afterAll(async () => {
  await sim.close();
  await temp.cleanup();
});
afterEach(() => sim.faults.clear());

function config(overrides: Record<string, unknown> = {}): DataWorksConfig {
  return connector.validateConfig({ endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], ...overrides });
}

const estateIds = () => DATAWORKS_PROJECT_IDS.flatMap((p) => sim.dataworks.list(p).map((a) => String(a.ApiId))).sort();

describe('DataWorksConnector.validateConfig', () => {
  it('applies the defaults and derives the endpoint from the region', () => {
    expect(connector.validateConfig({ region: 'cn-shanghai', projects: [10001, 10001, 10002] })).toEqual({
      endpoint: 'https://dataworks.cn-shanghai.aliyuncs.com',
      region: 'cn-shanghai',
      projects: [10001, 10002],
      format: 'json',
      pageSize: 100,
      signature: 'v3',
      maxPasses: 3,
      timeoutMs: 120_000,
    });
  });

  it.each([
    [{ projects: [] }, /projects: must list at least one workspace/],
    [{ projects: ['10001'] }, /projects\.0/],
    [{ pageSize: 101 }, /pageSize: must be at most 100/],
    [{ format: 'yaml' }, /format/],
    [{ signature: 'v2' }, /signature/],
    [{ endpoint: undefined }, /endpoint: is required unless region is given/],
    [{ region: 'Shanghai' }, /region: must be an Alibaba Cloud region id/],
    [{ tenant: 1 }, /tenant/],
  ])('names the bad field in %j', (overrides, message) => {
    expect(() => config(overrides)).toThrow(ConfigError);
    expect(() => config(overrides)).toThrow(message);
  });

  it('is registered under its kind', () => {
    expect(defaultConnectorRegistry().get(DATAWORKS_DATASERVICE_KIND)).toBeInstanceOf(DataWorksConnector);
  });
});

describe('DataWorksConnector against vendor-sim', () => {
  it.each([
    ['v3', 'json'],
    ['v3', 'xml'],
    ['rpc', 'json'],
    ['rpc', 'xml'],
  ] as const)('catalogs every API of every workspace, one artifact per page (%s, %s)', async (signature, format) => {
    const recording = recordingContext(credential);
    const run = await runConnector(connector, config({ signature, format, pageSize: 10, tenantId: DATAWORKS_TENANT_ID, region: 'cn-shanghai' }), recording, temp);
    expect(run.entries.map((e) => e.externalId).sort()).toEqual(estateIds());
    expect(run.artifacts).toHaveLength(6);
    expect(run.artifacts.map((a) => [a.scope, a.meta?.pageNumber])).toEqual([
      [`project:${FIRST}`, 1],
      [`project:${FIRST}`, 2],
      [`project:${FIRST}`, 3],
      [`project:${SECOND}`, 1],
      [`project:${SECOND}`, 2],
      [`project:${SECOND}`, 3],
    ]);
    expect(run.artifacts[0]).toMatchObject({ call: `${signature === 'v3' ? 'POST' : 'GET'} /?Action=ListDataServiceApis`, name: `ListDataServiceApis-${FIRST}-pass1-page1.${format}` });
    expect([...recording.expected]).toEqual([
      [`project:${FIRST}`, 25],
      [`project:${SECOND}`, 25],
    ]);
    expect(recording.failed.size).toBe(0);
    expect(recording.progress.at(-1)).toEqual({ callsDone: 6, callsPlanned: 6 });
    for (const entry of run.entries) {
      expect(entry.kind).toBe('api');
      expect(JSON.stringify(entry.document)).not.toMatch(/RequestId|PageNumber/);
      expect(entry.scope).toMatch(/^project:1000[12]$/);
    }
  });

  it('gives the same documents for JSON and XML, V3 and RPC, with lists of one as objects or as arrays', async () => {
    const documents = async (overrides: Record<string, unknown>) => {
      const run = await runConnector(connector, config(overrides), recordingContext(credential), temp);
      return Object.fromEntries(run.entries.map((e) => [e.externalId, e.document]));
    };
    const reference = await documents({});
    expect(await documents({ format: 'xml', signature: 'rpc' })).toEqual(reference);
    sim.dataworks.options.singleElementLists = 'array';
    try {
      expect(await documents({})).toEqual(reference);
    } finally {
      sim.dataworks.options.singleElementLists = 'object';
    }
  });

  it('reads a workspace again from page 1 when the pages shift, and catalogs what is there then', async () => {
    sim.faults.inject('page-shift', { route: 'dataworks.list' });
    const recording = recordingContext(credential);
    const run = await runConnector(connector, config({ pageSize: 10 }), recording, temp);
    expect(run.entries.map((e) => e.externalId).sort()).toEqual(estateIds());
    const discarded = run.artifacts.filter((a) => a.meta?.discarded === 'page-drift');
    expect(discarded.map((a) => [a.scope, a.meta?.pass])).toEqual([
      [`project:${FIRST}`, 1],
      [`project:${FIRST}`, 1],
    ]);
    expect(recording.failed.size).toBe(0);
    expect(recording.expected.get(`project:${FIRST}`)).toBe(sim.dataworks.count(FIRST));
    expect(recording.logs.some((l) => l.msg === 'DataWorks listing shifted while paging; reading the workspace again from page 1')).toBe(true);
  });

  it('gives a workspace up as a failed part when it keeps shifting, and still reads the others', async () => {
    sim.faults.inject('page-shift', { route: 'dataworks.list', times: 100 });
    const recording = recordingContext(credential);
    const run = await runConnector(connector, config({ pageSize: 10, projects: [FIRST], maxPasses: 2 }), recording, temp);
    sim.faults.clear();
    expect(run.entries).toEqual([]);
    const failure = recording.failed.get(`project:${FIRST}`) as ConnectorError;
    expect(failure).toBeInstanceOf(ConnectorError);
    expect(failure.code).toBe('PAGE_DRIFT');
    expect(failure.message).toMatch(/kept shifting while it was paged \(2 reads\)/);
    expect(run.artifacts.every((a) => a.meta?.discarded === 'page-drift')).toBe(true);
    expect(recording.expected.size).toBe(0);
  });

  it('fetches again a page that was cut short or broken off, and a 503', async () => {
    sim.faults.inject('truncated', { route: 'dataworks.list' });
    sim.faults.inject('reset', { route: 'dataworks.list' });
    sim.faults.inject('http-503', { route: 'dataworks.list', retryAfterSeconds: 0 });
    const recording = recordingContext(credential);
    const run = await runConnector(connector, config(), recording, temp);
    expect(run.entries.map((e) => e.externalId).sort()).toEqual(estateIds());
    expect(recording.failed.size).toBe(0);
    expect(run.artifacts).toHaveLength(2);
  });

  it('reports a workspace the key may not read as a failed part, and reads the others', async () => {
    sim.dataworks.setForbidden(SECOND, true);
    try {
      const recording = recordingContext(credential);
      const run = await runConnector(connector, config(), recording, temp);
      expect(run.entries).toHaveLength(sim.dataworks.count(FIRST));
      expect(recording.failed.get(`project:${SECOND}`)).toMatchObject({ extra: { status: 403, vendorCode: 'Forbidden.Access' } });
      expect([...recording.expected.keys()]).toEqual([`project:${FIRST}`]);
    } finally {
      sim.dataworks.setForbidden(SECOND, false);
    }
  });

  it('fails the run on a credential the gateway refuses, in JSON and in XML', async () => {
    const wrong: VendorCredential = { type: 'aliyun-ak', accessKeyId: sim.aliyunCredentials.accessKeyId, accessKeySecret: 'wrong' };
    for (const [format, signature] of [
      ['json', 'v3'],
      ['xml', 'rpc'],
    ] as const) {
      const error = await runConnector(connector, config({ format, signature }), recordingContext(wrong), temp).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorCallError);
      expect((error as VendorCallError).extra.status).toBe(400);
      expect((error as VendorCallError).message).toMatch(/SignatureDoesNotMatch/);
    }
    const unknown = await runConnector(connector, config(), recordingContext({ type: 'aliyun-ak', accessKeyId: 'LTAINOBODY', accessKeySecret: 'x' }), temp).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ extra: { status: 404, vendorCode: 'InvalidAccessKeyId.NotFound' } });
  });

  it('refuses to call without an Alibaba credential', async () => {
    await expect(runConnector(connector, config(), recordingContext(null), temp)).rejects.toThrow(ConfigError);
    await expect(runConnector(connector, config(), recordingContext({ type: 'huawei-token', token: 't' }), temp)).rejects.toThrow(/aliyun-ak/);
  });

  it('parses a saved page alone (offline), taking the workspace from the APIs', async () => {
    const run = await runConnector(connector, config({ projects: [SECOND], format: 'xml' }), recordingContext(credential), temp);
    const [artifact] = run.artifacts;
    const entries = [];
    for await (const entry of connector.parse({ ...artifact, scope: undefined, meta: undefined }, config(), recordingContext(credential).ctx)) entries.push(entry);
    expect(entries).toHaveLength(25);
    expect(new Set(entries.map((e) => e.scope))).toEqual(new Set([`project:${SECOND}`]));
  });
});
