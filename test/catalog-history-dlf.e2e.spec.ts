import { startVendorSim, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, postJson, startTestApp, type TestApp, backupViaApi } from './support/test-app.js';

/**
 * History, guards and search over DLF connections: as-of reads return what each run saw, a
 * run that would empty the source is held until an operator decides, search finds items.
 */
describe.each(testDatabaseTargets)('catalog history, guards and search ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;

  const backup = (): Promise<any> => backupViaApi(t, sourceId);

  const externalIds = (items: { externalId: string }[]) => items.map((i) => i.externalId).sort();

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 21 });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-token', token: sim.credentials.token });
    sourceId = (await t.app.get(SourcesService).upsert({ name: 'dlf', kind: 'huawei.dataarts.dlf.connections', config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credentialName: 'sim' })).id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('answers "as of" reads with the state each run saw, and diffs two runs', async () => {
    const first = await backup();
    const namesAtFirst = sim.dlf.list().map((c) => c.name).sort();
    const [victim, edited] = sim.dlf.list();
    sim.dlf.remove(victim!.name);
    sim.dlf.upsert({ ...edited!, description: 'changed for the history test' });
    const second = await backup();
    expect(second.stats).toMatchObject({ removed: 1, modified: 1 });

    const atFirst = await getJson(`${t.url}/api/v1/catalog/items?asOf=${encodeURIComponent(first.finishedAt)}&source=${sourceId}`);
    expect(externalIds(atFirst.body.items)).toEqual(namesAtFirst);
    const atSecond = await getJson(`${t.url}/api/v1/catalog/items?asOf=${encodeURIComponent(second.finishedAt)}&source=${sourceId}`);
    expect(externalIds(atSecond.body.items)).toEqual(namesAtFirst.filter((n) => n !== victim!.name));
    const beforeAnyRun = await getJson(`${t.url}/api/v1/catalog/items?asOf=${encodeURIComponent(new Date(Date.parse(first.createdAt) - 1000).toISOString())}`);
    expect(beforeAnyRun.body.items).toEqual([]);

    const editedId = atFirst.body.items.find((i: any) => i.externalId === edited!.name).itemId;
    const thenItem = await getJson(`${t.url}/api/v1/catalog/items/${editedId}?asOf=${encodeURIComponent(first.finishedAt)}`);
    expect(thenItem.body.document.description).toBe(edited!.description);

    const diff = await getJson(`${t.url}/api/v1/diff?from=${first.id}&to=${second.id}&source=${sourceId}`);
    expect(diff.body.summary).toEqual({ added: 0, removed: 1, modified: 1, breaking: 1 });
    expect(diff.body.items.map((i: any) => [i.change, i.externalId]).sort()).toEqual([['modified', edited!.name], ['removed', victim!.name]].sort());
    expect(diff.body.items.find((i: any) => i.change === 'modified').fields).toEqual([
      { path: '/description', op: 'changed', before: edited!.description, after: 'changed for the history test' },
    ]);

    const versionDiff = await getJson(`${t.url}/api/v1/catalog/items/${editedId}/diff?from=1&to=2`);
    expect(versionDiff.body).toMatchObject({ change: 'modified', fields: [{ path: '/description', op: 'changed' }] });

    const feed = await getJson(`${t.url}/api/v1/changes?source=${sourceId}&since=${encodeURIComponent(second.startedAt)}`);
    expect(feed.body.items.map((c: any) => c.type).sort()).toEqual(['modified', 'removed']);
    sim.dlf.upsert(victim!);
    expect((await backup()).stats).toMatchObject({ restored: 1 });
  });

  it('holds a run that would empty the source, changing nothing until an operator applies it', async () => {
    const before = await getJson(`${t.url}/api/v1/catalog/items?source=${sourceId}&limit=500`);
    expect(before.body.items.length).toBeGreaterThan(0);
    const saved = sim.dlf.list();
    for (const c of saved) sim.dlf.remove(c.name);

    const held = await backup();
    expect(held.status).toBe('held');
    expect(held.error).toMatchObject({ code: 'GUARD_HELD', activeItems: saved.length, wouldRemove: saved.length });
    expect(held.changes).toEqual([]);
    const during = await getJson(`${t.url}/api/v1/catalog/items?source=${sourceId}&limit=500`);
    expect(externalIds(during.body.items)).toEqual(externalIds(before.body.items));

    // Discarding keeps the catalog; a newer held run can then be applied.
    const discarded = await postJson(`${t.url}/api/v1/runs/${held.id}/discard`);
    expect(discarded.body).toMatchObject({ status: 'cancelled', error: { code: 'DISCARDED' } });
    expect((await postJson(`${t.url}/api/v1/runs/${held.id}/apply`)).status).toBe(409);

    const heldAgain = await backup();
    expect(heldAgain.status).toBe('held');
    const applied = await postJson(`${t.url}/api/v1/runs/${heldAgain.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ status: 'succeeded', stats: { removed: saved.length, appliedAfterHold: true } });
    const after = await getJson(`${t.url}/api/v1/catalog/items?source=${sourceId}&limit=500`);
    expect(after.body.items).toEqual([]);
    const rows = await t.db.prisma.heldEntry.count();
    expect(rows).toBe(0);

    for (const c of saved) sim.dlf.upsert(c);
    const back = await backup();
    expect(back.stats).toMatchObject({ restored: saved.length });
  });

  it('searches the current catalog by free text and filters, with cursor pagination', async () => {
    const all = sim.dlf.list();
    const probe = all[0]!;
    const byName = await getJson(`${t.url}/api/v1/catalog/search?q=${encodeURIComponent(probe.name)}`);
    expect(byName.body.items.map((i: any) => i.externalId)).toContain(probe.name);
    const byKind = await getJson(`${t.url}/api/v1/catalog/search?kind=connection&vendor=huawei&limit=5`);
    expect(byKind.body.items).toHaveLength(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await getJson(`${t.url}/api/v1/catalog/search?kind=connection&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i: any) => i.externalId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((c) => c.name).sort((a, b) => (a < b ? -1 : 1)));
    const nothing = await getJson(`${t.url}/api/v1/catalog/search?q=${encodeURIComponent('no such 50%_ thing')}`);
    expect(nothing.body.items).toEqual([]);
    const bad = await getJson(`${t.url}/api/v1/catalog/search?cursor=garbage`);
    expect(bad.status).toBe(400);
  });
});
