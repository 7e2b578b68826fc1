import { DATAWORKS_PROJECT_IDS, startVendorSim, type DataWorksApi, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi } from './support/test-app.js';

const [PROJECT] = DATAWORKS_PROJECT_IDS;

/**
 * The history of one API through a sequence of vendor-side edits across runs (DataWorks, over
 * real HTTP with Alibaba signatures): add, make a parameter required, change the method, delete,
 * re-create. Each run must give exactly the expected versions, tombstones, change events and
 * breaking flags, and "as of" each run's end must return what that run saw.
 */
describe.each(testDatabaseTargets)('API history across vendor-side edits ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;

  const backup = (): Promise<any> => backupViaApi(t, sourceId);

  const changesOf = (run: any) => run.changes.map((c: any) => [c.type, c.externalId]);

  async function semanticOf(run: any): Promise<{ breaking: boolean; kinds: string[] }[]> {
    const feed = await getJson(`${t.url}/api/v1/changes?source=${sourceId}&since=${encodeURIComponent(run.startedAt)}&limit=500`);
    return feed.body.items.filter((c: any) => c.runId === run.id).map((c: any) => ({ breaking: c.breaking, kinds: c.semantic.map((s: any) => s.change) }));
  }

  async function asOf(run: any, itemId: string): Promise<any | null> {
    const response = await getJson(`${t.url}/api/v1/catalog/items/${itemId}?asOf=${encodeURIComponent(run.finishedAt)}`);
    return response.status === 404 ? null : response.body;
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 31, clock: new Date('2024-05-01T00:00:00Z') });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('aliyun', { type: 'aliyun-ak', ...sim.aliyunCredentials });
    sourceId = (
      await t.app.get(SourcesService).upsert({
        name: 'dataworks',
        kind: 'aliyun.dataworks.dataservice',
        config: { endpoint: sim.baseUrl, projects: [PROJECT] },
        credentialName: 'aliyun',
      })
    ).id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('records exactly the expected versions, tombstones, changes, breaking flags and as-of states', async () => {
    const subject = sim.dataworks.list(PROJECT).find((a) => a.ApiMode === 0 && a.RequestMethod === 0 && a.WizardDetails!.WizardRequestParameters.some((p) => !p.IsRequiredParameter))!;
    expect(subject).toBeDefined();
    const id = String(subject.ApiId);
    const baseline = await backup();
    expect(baseline.status).toBe('succeeded');
    const itemId = baseline.changes.find((c: any) => c.externalId === id).itemId;

    // 1. A new API appears: added, not breaking.
    const added = sim.dataworks.create(PROJECT, { ...subject, ApiId: undefined, ApiName: 'history_probe_new', ApiPath: '/history/probe/new' }, 'tester');
    const run1 = await backup();
    expect(changesOf(run1)).toEqual([['added', String(added.ApiId)]]);
    expect(await semanticOf(run1)).toEqual([{ breaking: false, kinds: ['api-added'] }]);

    // 2. An optional parameter becomes required: modified, breaking.
    const params = subject.WizardDetails!.WizardRequestParameters;
    const optional = params.find((p) => !p.IsRequiredParameter)!;
    const wizard = { ...subject.WizardDetails!, WizardRequestParameters: params.map((p) => (p === optional ? { ...p, IsRequiredParameter: true } : p)) };
    sim.dataworks.update(PROJECT, subject.ApiId, { WizardDetails: wizard });
    const run2 = await backup();
    expect(changesOf(run2)).toEqual([['modified', id]]);
    const [paramChange] = await semanticOf(run2);
    expect(paramChange).toMatchObject({ breaking: true });
    expect(paramChange!.kinds).toContain('parameter-required');

    // 3. The method changes from GET to POST: modified, breaking.
    sim.dataworks.update(PROJECT, subject.ApiId, { RequestMethod: 1 });
    const run3 = await backup();
    expect(changesOf(run3)).toEqual([['modified', id]]);
    const [methodChange] = await semanticOf(run3);
    expect(methodChange).toMatchObject({ breaking: true });
    expect(methodChange!.kinds).toContain('method-changed');

    // 4. The API is deleted: removed (tombstone), breaking.
    const beforeDelete = sim.dataworks.get(PROJECT, subject.ApiId) as DataWorksApi;
    sim.dataworks.remove(PROJECT, subject.ApiId);
    const run4 = await backup();
    expect(changesOf(run4)).toEqual([['removed', id]]);
    expect(await semanticOf(run4)).toEqual([{ breaking: true, kinds: ['api-removed'] }]);
    const tombstone = (await getJson(`${t.url}/api/v1/catalog/items/${itemId}`)).body;
    expect(tombstone).toMatchObject({ removedByRunId: run4.id });

    // 5. It is re-created as it was: the same item comes back, without a new version.
    sim.dataworks.insert(beforeDelete);
    const run5 = await backup();
    expect(run5.changes.map((c: any) => [c.type, c.externalId, c.itemId])).toEqual([['restored', id, itemId]]);

    const item = (await getJson(`${t.url}/api/v1/catalog/items/${itemId}`)).body;
    expect(item.removedAt).toBeNull();
    expect(item.versions.map((v: any) => [v.seq, v.runId])).toEqual([
      [1, baseline.id],
      [2, run2.id],
      [3, run3.id],
    ]);
    expect(item.changes.map((c: any) => [c.type, c.runId, c.breaking])).toEqual([
      ['added', baseline.id, false],
      ['modified', run2.id, true],
      ['modified', run3.id, true],
      ['removed', run4.id, true],
      ['restored', run5.id, false],
    ]);

    // As of each run's end: the state that run saw.
    expect((await asOf(baseline, itemId))?.seq).toBe(1);
    expect((await asOf(run1, itemId))?.seq).toBe(1);
    expect((await asOf(run2, itemId))?.seq).toBe(2);
    expect((await asOf(run3, itemId))?.document.method).toBe('POST');
    expect(await asOf(run4, itemId)).toBeNull();
    expect((await asOf(run5, itemId))?.seq).toBe(3);

    const breaking = await getJson(`${t.url}/api/v1/changes?source=${sourceId}&breaking=true&limit=500`);
    expect(breaking.body.items.map((c: any) => [c.type, c.runId])).toEqual([
      ['modified', run2.id],
      ['modified', run3.id],
      ['removed', run4.id],
    ]);
    const diff = await getJson(`${t.url}/api/v1/diff?from=${baseline.id}&to=${run3.id}&source=${sourceId}`);
    expect(diff.body.summary).toEqual({ added: 1, removed: 0, modified: 1, breaking: 1 });
    expect(diff.body.items.find((i: any) => i.externalId === id).text).toMatch(/\[BREAKING\] method changed from GET to POST/);
  });
});
