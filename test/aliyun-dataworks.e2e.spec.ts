import { DATAWORKS_PROJECT_IDS, startVendorSim, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { expectedDataWorksDocument } from './support/dataworks-expected-document.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi, catalogRowCounts, tablesAsText } from './support/test-app.js';

const KIND = 'aliyun.dataworks.dataservice';
const [FIRST, SECOND] = DATAWORKS_PROJECT_IDS;

describe.each(testDatabaseTargets)('Alibaba DataWorks DataService APIs backed up end to end ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;

  const backup = (id = sourceId): Promise<any> => backupViaApi(t, id);

  async function items(id = sourceId, includeRemoved = false): Promise<any[]> {
    const page = await getJson(`${t.url}/api/v1/catalog/items?limit=500&includeRemoved=${includeRemoved}&source=${id}`);
    return page.body.items;
  }

  async function documents(id = sourceId): Promise<Map<string, any>> {
    const out = new Map<string, any>();
    for (const item of await items(id)) out.set(item.externalId, (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).body.versions.at(-1).document);
    return out;
  }

  const catalogCounts = () => catalogRowCounts(t.db);

  const estate = () => DATAWORKS_PROJECT_IDS.flatMap((p) => sim.dataworks.list(p));
  const estateIds = () => estate().map((a) => String(a.ApiId)).sort();

  beforeAll(async () => {
    // A fixed export clock: the gateway's RequestId derives from it, so an unchanged page comes back byte for byte.
    sim = await startVendorSim({ port: 0, seed: 23, clock: new Date('2024-05-01T00:00:00Z') });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('aliyun', { type: 'aliyun-ak', ...sim.aliyunCredentials });
    const source = await t.app.get(SourcesService).upsert({
      name: 'dataworks',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], pageSize: 10 },
      credentialName: 'aliyun',
    });
    sourceId = source.id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('catalogs exactly the estate of every workspace, every mapped field, one artifact per page', async () => {
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.artifacts).toHaveLength(6);
    expect(run.stats).toMatchObject({ added: 50, modified: 0, removed: 0, artifactsNew: 6 });
    expect(run.stats.coverage.map((p: any) => [p.scope, p.expected, p.parsed])).toEqual([
      [`project:${FIRST}`, 25, 25],
      [`project:${SECOND}`, 25, 25],
    ]);
    const catalogued = await documents();
    expect([...catalogued.keys()].sort()).toEqual(estateIds());
    for (const api of estate()) expect([api.ApiId, catalogued.get(String(api.ApiId))]).toEqual([api.ApiId, expectedDataWorksDocument(api)]);
  });

  it('writes nothing new when nothing changed', async () => {
    const before = await catalogCounts();
    const artifacts = await t.db.prisma.artifact.count();
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toEqual([]);
    expect(run.stats).toMatchObject({ added: 0, modified: 0, removed: 0, versionsWritten: 0, artifactsNew: 0 });
    expect(await catalogCounts()).toEqual(before);
    expect(await t.db.prisma.artifact.count()).toBe(artifacts);
  });

  it('records one `modified` change for one vendor-side edit', async () => {
    const target = sim.dataworks.list(SECOND)[4];
    sim.dataworks.update(SECOND, target.ApiId, { Description: 'edited in the console', Timeout: 12_345 });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes.map((c: any) => [c.type, c.externalId])).toEqual([['modified', String(target.ApiId)]]);
    expect(run.changes[0].diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/description', after: 'edited in the console' }),
        expect.objectContaining({ path: '/vendorExtras/timeoutMs', before: target.Timeout, after: 12_345 }),
        expect.objectContaining({ path: '/updatedAt' }),
      ]),
    );
  });

  it('records an API deleted in the console as removed, and one created through CreateDataServiceApi as added', async () => {
    const victim = sim.dataworks.list(FIRST)[7];
    sim.dataworks.remove(FIRST, victim.ApiId);
    const created = sim.dataworks.create(
      SECOND,
      {
        ApiName: 'restored_orders',
        ApiPath: '/restored/orders',
        ApiMode: '2',
        RequestMethod: '1',
        Timeout: '5000',
        GroupId: 'ab12cd34ef',
        Protocols: '1',
        RegistrationDetails: JSON.stringify({ serviceHost: 'https://orders.example.com', servicePath: '/v1/orders', serviceContentType: 0 }),
      },
      '1234567890123456',
    );
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes.map((c: any) => [c.type, c.externalId]).sort()).toEqual([
      ['added', String(created.ApiId)],
      ['removed', String(victim.ApiId)],
    ]);
    expect((await documents()).get(String(created.ApiId))).toEqual(expectedDataWorksDocument(sim.dataworks.get(SECOND, created.ApiId)!));
  });

  it('recovers from pages that shift between two reads: the run is complete and exact', async () => {
    sim.faults.inject('page-shift', { route: 'dataworks.list' });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect([...(await documents()).keys()].sort()).toEqual(estateIds());
    expect(run.artifacts.length).toBeGreaterThan(6);
    expect(run.stats.coverage.every((p: any) => p.failure === null && p.expected === p.parsed)).toBe(true);
  });

  it('ends partial, naming the workspace, when its pages keep shifting, and keeps that workspace as it was', async () => {
    const before = await documents();
    const firstIds = new Set(sim.dataworks.list(FIRST).map((a) => String(a.ApiId)));
    sim.faults.inject('page-shift', { route: 'dataworks.list', times: 6 });
    const run = await backup();
    sim.faults.clear();
    expect(run.status).toBe('partial');
    expect(run.error).toMatchObject({ stage: 'coverage', code: 'PARTIAL' });
    expect(run.error.parts).toEqual([expect.objectContaining({ scope: `project:${FIRST}`, failure: expect.objectContaining({ code: 'PAGE_DRIFT' }) })]);
    // The failed workspace is neither tombstoned nor changed; the other one is applied.
    expect(run.changes.filter((c: any) => firstIds.has(c.externalId) && c.type === 'removed')).toEqual([]);
    const after = await documents();
    for (const id of firstIds) if (before.has(id)) expect(after.get(id)).toEqual(before.get(id));

    const healed = await backup();
    expect(healed.status).toBe('succeeded');
    expect([...(await documents()).keys()].sort()).toEqual(estateIds());
  });

  it('rides out the gateway throttling (429 Throttling.User) with the HTTP client retries', async () => {
    const limits = sim.dataworks.options.throttling;
    const throttledBefore = sim.requests.filter((r) => r.status === 429).length;
    sim.dataworks.options.throttling = { userPerSecond: 2 };
    try {
      const run = await backup();
      expect(run.status).toBe('succeeded');
      expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(throttledBefore);
      expect(run.changes).toEqual([]);
    } finally {
      sim.dataworks.options.throttling = limits;
    }
  });

  it('catalogs the same documents from XML pages signed the RPC way', async () => {
    const source = await t.app.get(SourcesService).upsert({
      name: 'dataworks-xml-rpc',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projects: [...DATAWORKS_PROJECT_IDS], format: 'xml', signature: 'rpc' },
      credentialName: 'aliyun',
    });
    const run = await backup(source.id);
    expect(run.status).toBe('succeeded');
    expect(run.artifacts).toHaveLength(2);
    expect(await documents(source.id)).toEqual(await documents());
  });

  it('fails the run with the vendor code on a wrong secret, and leaves the catalog as it was', async () => {
    await t.app.get(CredentialsService).upsert('aliyun-wrong', { type: 'aliyun-ak', accessKeyId: sim.aliyunCredentials.accessKeyId, accessKeySecret: 'wrong-secret' });
    const source = await t.app.get(SourcesService).upsert({
      name: 'dataworks-wrong-key',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projects: [FIRST] },
      credentialName: 'aliyun-wrong',
    });
    const before = await catalogCounts();
    const run = await backup(source.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stage: 'fetch', status: 400, vendorCode: 'SignatureDoesNotMatch', call: 'POST /?Action=ListDataServiceApis' });
    expect(await catalogCounts()).toEqual(before);
  });

  it('never lets the AccessKey secret reach the database, the API or the logs', async () => {
    const secret = sim.aliyunCredentials.accessKeySecret;
    const dump = await tablesAsText(t.db, ['sources', 'credentials', 'runs', 'artifacts', 'catalog_items', 'catalog_versions', 'change_events']);
    const runs = await getJson(`${t.url}/api/v1/runs?limit=500`);
    let answers = runs.text + (await getJson(`${t.url}/api/v1/sources`)).text;
    for (const run of runs.body.items) answers += (await getJson(`${t.url}/api/v1/runs/${run.id}`)).text;
    expect(dump.includes(secret)).toBe(false);
    expect(answers.includes(secret)).toBe(false);
    expect(t.logs.join('').includes(secret)).toBe(false);
  });
});
