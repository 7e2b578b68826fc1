import type { JsonValue } from '#catalog-model';
import { DEFAULT_DLF_WORKSPACE, PLANTED_SECRET_PREFIX, startVendorSim, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { expectedDataServiceDocument, maskRedactions } from './support/dataservice-expected-document.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi, catalogRowCounts, tablesAsText } from './support/test-app.js';

const KIND = 'huawei.dataarts.dataservice';
const WORKSPACE = DEFAULT_DLF_WORKSPACE;
const EXPORT_PATH = /^\/v1\/[0-9a-f]+\/service\/export\/zip$/;

describe.each(testDatabaseTargets)('DataArts DataService backed up end to end ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;

  const backup = (source = sourceId): Promise<any> => backupViaApi(t, source);

  const catalogCounts = () => catalogRowCounts(t.db);

  async function items(): Promise<any[]> {
    return (await getJson(`${t.url}/api/v1/catalog/items?limit=500&source=${sourceId}`)).body.items;
  }

  /** The current document of every catalog item, by external id. */
  async function currentDocuments(): Promise<Map<string, any>> {
    const documents = new Map<string, any>();
    for (const item of await items()) {
      const detail = (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).body;
      const current = detail.versions.find((v: any) => v.id === detail.currentVersionId);
      documents.set(item.externalId, { document: current.document, redactedPaths: current.redactedPaths, locator: current.locator });
    }
    return documents;
  }

  beforeAll(async () => {
    // The brief's short window: back-to-back runs meet the limit without waiting a real minute.
    sim = await startVendorSim({ port: 0, seed: 17, dataService: { exportWindowMs: 300 } });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey });
    const source = await t.app.get(SourcesService).upsert({
      name: 'dataservice',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, workspace: WORKSPACE, dlmType: 'EXCLUSIVE' },
      credentialName: 'sim',
    });
    sourceId = source.id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('catalogs exactly the APIs of the workspace edition, every mapped field', async () => {
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.artifacts).toHaveLength(1);
    expect(run.artifacts[0]).toMatchObject({ name: 'DataService_APIs.zip', call: 'POST /v1/{project_id}/service/export/zip' });

    const estate = sim.dataService.list(WORKSPACE, 'EXCLUSIVE');
    expect(estate).toHaveLength(24);
    const documents = await currentDocuments();
    expect([...documents.keys()].sort()).toEqual(estate.map((api) => api.id).sort());
    for (const api of estate) {
      const { document, locator } = documents.get(api.id);
      expect([api.id, maskRedactions(document as JsonValue)]).toEqual([api.id, expectedDataServiceDocument(api)]);
      expect(locator).toMatch(/^DataService_APIs_001\.xlsx#.+ APIs!\d+$/);
    }
    expect(run.changes.map((c: any) => c.type)).toEqual(estate.map(() => 'added'));
    expect(run.stats).toMatchObject({ added: 24, modified: 0, removed: 0, artifactsNew: 1 });
  });

  it('writes no new version when the estate did not change (the export bytes do: they carry the export time)', async () => {
    const before = await catalogCounts();
    const artifactsBefore = await t.db.prisma.artifact.count();
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toEqual([]);
    expect(run.stats).toMatchObject({ added: 0, modified: 0, removed: 0, versionsWritten: 0, artifactsNew: 1 });
    expect(await catalogCounts()).toEqual(before);
    expect(await t.db.prisma.artifact.count()).toBe(artifactsBefore + 1);
  });

  it('records one `modified` change for one vendor-side edit', async () => {
    const api = sim.dataService.list(WORKSPACE, 'EXCLUSIVE').find((a) => a.api_type === 'API_SPECIFIC_TYPE_SCRIPT')!;
    sim.dataService.upsert({ ...api, path: `${api.path}/v2`, update_time: api.update_time + 60_000 }, WORKSPACE, 'EXCLUSIVE');
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toHaveLength(1);
    expect(run.changes[0]).toMatchObject({ type: 'modified', externalId: api.id });
    expect(run.changes[0].diff).toEqual(
      expect.arrayContaining([
        { path: '/path', op: 'changed', before: api.path, after: `${api.path}/v2` },
        { path: '/updatedAt', op: 'changed', before: new Date(api.update_time).toISOString(), after: new Date(api.update_time + 60_000).toISOString() },
      ]),
    );
    expect(run.changes[0].diff).toHaveLength(2);
  });

  it('catalogs the same documents when the vendor writes Chinese headers', async () => {
    sim.dataService.locale = 'zh';
    try {
      const run = await backup();
      expect(run).toMatchObject({ status: 'succeeded', changes: [] });
    } finally {
      sim.dataService.locale = 'en';
    }
  });

  it('waits out the one-export-per-minute limit: two backups of one workspace at once both succeed', async () => {
    // A second source on the same workspace (the shared edition): the vendor's limit is per
    // workspace, so whichever export comes second meets the window and must wait it out.
    const shared = await t.app.get(SourcesService).upsert({
      name: 'dataservice-shared',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, workspace: WORKSPACE, dlmType: 'SHARED' },
      credentialName: 'sim',
    });
    sim.dataService.exportLimiter.windowMs = 2_000;
    sim.dataService.exportLimiter.reset();
    try {
      const exportsBefore = sim.requests.filter((r) => EXPORT_PATH.test(r.path)).length;
      const [exclusiveRun, sharedRun] = await Promise.all([backup(), backup(shared.id)]);
      expect([exclusiveRun.status, sharedRun.status]).toEqual(['succeeded', 'succeeded']);
      const statuses = sim.requests.filter((r) => EXPORT_PATH.test(r.path)).slice(exportsBefore).map((r) => r.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(2);
      expect(statuses).toContain(429);
      expect(exclusiveRun.changes).toEqual([]);
      expect(sharedRun.stats).toMatchObject({ added: sim.dataService.count(WORKSPACE, 'SHARED') });
    } finally {
      sim.dataService.exportLimiter.windowMs = 300;
    }
  });

  it('fails on a corrupt workbook with an error naming it, and leaves the catalog untouched', async () => {
    const before = await catalogCounts();
    sim.faults.inject('corrupt-workbook', { route: 'dataservice.export' });
    const run = await backup();
    // The export is the source's one part (its workspace): it failed, so nothing of the source was
    // backed up: the run failed, nothing in the catalog moves, no API is taken for deleted.
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stage: 'parse', code: 'BAD_WORKBOOK' });
    expect(run.error.parts).toEqual([
      expect.objectContaining({
        scope: `workspace:${WORKSPACE}`,
        failure: expect.objectContaining({ stage: 'parse', code: 'BAD_WORKBOOK', artifact: 'DataService_APIs.zip' }),
      }),
    ]);
    expect(run.error.parts[0].failure.message).toContain('entry "DataService_APIs_001.xlsx" is not a readable xlsx workbook');
    expect(run.changes).toEqual([]);
    expect(await catalogCounts()).toEqual(before);

    const healthy = await backup();
    expect(healthy).toMatchObject({ status: 'succeeded', changes: [] });
  });

  it('never lets a planted backend secret or the vendor credential reach the database, the API or the logs', async () => {
    const planted = sim.dataService
      .list(WORKSPACE, 'EXCLUSIVE')
      .flatMap((api) => api.backend_config?.constant_paras ?? [])
      .map((c) => c.value)
      .filter((value) => value.startsWith(PLANTED_SECRET_PREFIX));
    expect(planted.length).toBeGreaterThan(0);
    const dump = await tablesAsText(t.db, ['catalog_items', 'catalog_versions', 'change_events', 'runs']);
    expect(dump).toContain('hmac-sha256:');
    let answers = '';
    for (const item of await items()) answers += (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).text;
    const logs = t.logs.join('');
    for (const secret of [...planted, sim.credentials.secretAccessKey]) {
      expect([secret, dump.includes(secret), answers.includes(secret), logs.includes(secret)]).toEqual([secret, false, false, false]);
    }
  });
});
