import { createHash } from 'node:crypto';
import type { ArchiveStore } from '#archive';
import { signHuaweiRequest } from '#cloud-auth';
import { PLANTED_SECRET_PREFIX, startVendorSim, type SimFault, type VendorSim } from '#vendor-sim';
import { ARCHIVE_STORE } from '../apps/apivault/src/core/tokens.js';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi, catalogRowCounts, tablesAsText } from './support/test-app.js';

const KIND = 'huawei.dataarts.dlf.connections';

/** The export exactly as the vendor sends it, fetched beside apivault to compare bytes. */
async function vendorExportSha256(sim: VendorSim): Promise<string> {
  const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/export`;
  const headers = signHuaweiRequest({ method: 'POST', url, headers: {}, body: '' }, sim.credentials);
  const response = await fetch(url, { method: 'POST', headers });
  expect(response.status).toBe(200);
  return createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');
}

async function sha256OfStream(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe.each(testDatabaseTargets)('DLF connections backed up end to end ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;

  /** Triggers a run over the REST API and waits for its outcome. */
  const backup = (): Promise<any> => backupViaApi(t, sourceId);

  const catalogCounts = () => catalogRowCounts(t.db);

  async function items(includeRemoved = false): Promise<any[]> {
    const page = await getJson(`${t.url}/api/v1/catalog/items?limit=500&includeRemoved=${includeRemoved}&source=${sourceId}`);
    return page.body.items;
  }

  beforeAll(async () => {
    // A pinned export time: by default each export carries its own time (as the vendor's do), so
    // its bytes change at every run. Pinned, an unchanged estate exports the same bytes, which is
    // what the byte comparisons and the "nothing new archived" assertions below test.
    sim = await startVendorSim({ port: 0, seed: 7, clock: new Date('2026-03-01T08:00:00Z') });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', ...sim.credentials, token: undefined });
    const source = await t.app.get(SourcesService).upsert({
      name: 'dlf',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId },
      credentialName: 'sim',
    });
    sourceId = source.id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('archives the exact bytes the vendor sent and catalogs every connection', async () => {
    const expectedSha = await vendorExportSha256(sim);
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.artifacts).toHaveLength(1);
    expect(run.artifacts[0]).toMatchObject({ sha256: expectedSha, name: 'DLF_All_DataConnections.zip' });
    const archive = t.app.get<ArchiveStore>(ARCHIVE_STORE);
    expect(await sha256OfStream(await archive.open(expectedSha))).toBe(expectedSha);

    const vendorNames = sim.dlf.list().map((c) => c.name).sort();
    const catalogued = await items();
    expect(catalogued.map((i) => i.externalId).sort()).toEqual(vendorNames);
    expect(catalogued.every((i) => i.kind === 'connection')).toBe(true);
    expect(run.changes.map((c: any) => c.type)).toEqual(vendorNames.map(() => 'added'));
    expect(run.stats).toMatchObject({ added: vendorNames.length, modified: 0, removed: 0, artifactsNew: 1 });
  });

  it('writes nothing new when the vendor did not change', async () => {
    const before = await catalogCounts();
    const objectsBefore = await t.db.prisma.artifact.count();
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toEqual([]);
    expect(run.stats).toMatchObject({ added: 0, modified: 0, removed: 0, versionsWritten: 0, artifactsNew: 0 });
    expect(await catalogCounts()).toEqual(before);
    expect(await t.db.prisma.artifact.count()).toBe(objectsBefore);
  });

  it('records one `modified` change with the field diff for a vendor-side edit', async () => {
    // DLF's API spells ports as strings.
    const target = sim.dlf.list().find((c) => typeof c.config.port === 'string')!;
    const oldPort = target.config.port as string;
    const newPort = String(Number(oldPort) + 1);
    sim.dlf.upsert({ ...target, config: { ...target.config, port: newPort } });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toHaveLength(1);
    expect(run.changes[0]).toMatchObject({ type: 'modified', externalId: target.name });
    expect(run.changes[0].diff).toEqual([{ path: '/config/port', op: 'changed', before: oldPort, after: newPort }]);

    const item = await getJson(`${t.url}/api/v1/catalog/items/${run.changes[0].itemId}`);
    expect(item.body.versions.map((v: any) => v.seq)).toEqual([1, 2]);
    expect(item.body.versions[1].runId).toBe(run.id);
    expect(item.body.versions[1].artifactSha256).toBe(run.artifacts[0].sha256);
    expect(item.body.versions[0].document.config.port).toBe(oldPort);
  });

  it('records a `removed` change and a tombstone for a vendor-side deletion, and restores the same item', async () => {
    const victim = sim.dlf.list()[0]!;
    sim.dlf.remove(victim.name);
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes.map((c: any) => [c.type, c.externalId])).toEqual([['removed', victim.name]]);
    const tombstone = (await items(true)).find((i) => i.externalId === victim.name);
    expect(tombstone).toMatchObject({ removedByRunId: run.id });
    expect(tombstone.removedAt).not.toBeNull();
    expect((await items()).some((i) => i.externalId === victim.name)).toBe(false);

    sim.dlf.upsert(victim);
    const back = await backup();
    expect(back.changes.map((c: any) => [c.type, c.externalId, c.itemId])).toEqual([['restored', victim.name, tombstone.id]]);
    expect((await items()).find((i) => i.externalId === victim.name)?.id).toBe(tombstone.id);
  });

  // A zip cut short ('truncated-zip') is no longer here: the HTTP client spots the missing end
  // record and fetches the export again (see the recovery test below).
  // Each fault is stopped by the first defence it meets: a zip bomb's 64 MiB entry exceeds the
  // per-entry size limit before its ratio is even measured; random bytes fail content sniffing
  // before anyone tries to unzip them.
  const badInputs: [SimFault, string][] = [
    ['zip-slip', 'ZIP_SLIP'],
    ['absolute-path', 'ZIP_SLIP'],
    ['zip-bomb', 'ZIP_TOO_LARGE'],
    ['html-200', 'UNEXPECTED_CONTENT'],
    ['not-zip', 'UNEXPECTED_CONTENT'],
    ['corrupt-zip', 'ZIP_CORRUPT'],
    ['bad-json-conn', 'BAD_CONN_JSON'],
    ['http-401', 'HTTP_ERROR'],
  ];

  it.each(badInputs)('fails the run on %s with a clear error and leaves the catalog untouched', async (fault, code) => {
    const before = await catalogCounts();
    sim.faults.inject(fault, { times: 1 });
    const run = await backup();
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code });
    expect(run.error.message.length).toBeGreaterThan(10);
    expect(run.changes).toEqual([]);
    expect(await catalogCounts()).toEqual(before);
    if (fault === 'http-401') expect(run.error).toMatchObject({ stage: 'fetch', status: 401, call: 'POST /v1/{project_id}/connections/export' });
  });

  // The HTTP client retries the export (marked idempotent) and spools it inside the retried call,
  // so a reset, a zip cut short and a 503 in a row cost waits, not the run (4 attempts allowed).
  it('recovers from a reset, a truncated export and a 503 in one run', async () => {
    const before = await catalogCounts();
    sim.faults.inject('reset');
    sim.faults.inject('truncated');
    sim.faults.inject('http-503');
    const run = await backup();
    expect(run).toMatchObject({ status: 'succeeded', changes: [] });
    expect(await catalogCounts()).toEqual(before);
  });

  it('fails the run when resets outlast the retries, saying how many attempts were made', async () => {
    const before = await catalogCounts();
    sim.faults.inject('reset', { times: 4 });
    const run = await backup();
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ stage: 'fetch', code: 'NETWORK', call: 'POST /v1/{project_id}/connections/export', attempts: 4 });
    expect(run.error.message).toContain('(gave up after 4 attempts)');
    expect(run.changes).toEqual([]);
    expect(await catalogCounts()).toEqual(before);
  });

  it('is healthy again after the faults', async () => {
    const run = await backup();
    expect(run).toMatchObject({ status: 'succeeded', changes: [] });
  });

  it('never lets a planted password or the vendor credential reach the database, the API or the logs', async () => {
    const planted = sim.dlf
      .list()
      .map((c) => c.config.password)
      .filter((p): p is string => typeof p === 'string' && p.startsWith(PLANTED_SECRET_PREFIX));
    expect(planted.length).toBeGreaterThan(0);
    const secrets = [...planted, sim.credentials.secretAccessKey];

    const tables = ['sources', 'credentials', 'runs', 'artifacts', 'run_artifacts', 'catalog_items', 'catalog_versions', 'change_events', 'settings'];
    const dump = await tablesAsText(t.db, tables);
    expect(dump).toContain('hmac-sha256:'); // redaction happened, so the search had something to find
    let answers = '';
    answers += (await getJson(`${t.url}/api/v1/sources`)).text;
    const all = await items(true);
    for (const item of all) answers += (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).text;
    const runs = await getJson(`${t.url}/api/v1/runs?limit=500`);
    for (const run of runs.body.items) answers += (await getJson(`${t.url}/api/v1/runs/${run.id}`)).text;
    const logs = t.logs.join('');
    expect(logs).toContain('run finished');

    for (const secret of secrets) {
      expect([secret, dump.includes(secret)]).toEqual([secret, false]);
      expect([secret, answers.includes(secret)]).toEqual([secret, false]);
      expect([secret, logs.includes(secret)]).toEqual([secret, false]);
    }
  });

  it('puts the run id on every log line of a run', async () => {
    const run = await backup();
    const lines = t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'run started' || l.msg === 'artifact archived' || l.msg === 'run finished');
    const ofRun = lines.filter((l) => l.runId === run.id);
    expect(ofRun.map((l) => l.msg)).toEqual(['run started', 'artifact archived', 'run finished']);
  });
});
