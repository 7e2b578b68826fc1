import { apigExportRouteOf, PLANTED_SECRET_PREFIX, startVendorSim, type ApigApi, type ApigBackend, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi, catalogRowCounts, tablesAsText } from './support/test-app.js';

const KIND = 'huawei.apig';
const AUTH_TYPES: Record<ApigApi['authType'], string> = { APP: 'app', IAM: 'iam', NONE: 'none', AUTHORIZER: 'custom' };

function expectedBackend(backend: ApigBackend | undefined) {
  if (!backend) return null;
  switch (backend.type) {
    case 'HTTP':
      return { type: 'http', address: `${backend.scheme}://${backend.address}`, method: backend.method, path: backend.path, timeoutMs: backend.timeout, vpc: false };
    case 'HTTP-VPC':
      return { type: 'http', address: `${backend.scheme}://${backend.vpcChannelName}`, method: backend.method, path: backend.path, timeoutMs: backend.timeout, vpc: true };
    case 'FUNCTION':
      return { type: 'function', functionUrn: backend.functionUrn, version: backend.version, invocation: backend.invocationType, timeoutMs: backend.timeout };
    case 'MOCK':
      return { type: 'mock', status: null, body: backend.resultContent };
  }
}

describe.each(testDatabaseTargets)('Huawei APIG backed up end to end ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;
  let exportTime = new Date('2026-02-01T10:00:00Z');

  const backup = (source = sourceId): Promise<any> => backupViaApi(t, source);

  const catalogCounts = () => catalogRowCounts(t.db);

  async function items(source = sourceId, includeRemoved = false): Promise<any[]> {
    return (await getJson(`${t.url}/api/v1/catalog/items?limit=500&source=${source}&includeRemoved=${includeRemoved}`)).body.items;
  }

  async function currentDocuments(source = sourceId): Promise<Map<string, any>> {
    const documents = new Map<string, any>();
    for (const item of await items(source)) {
      const detail = (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).body;
      documents.set(item.externalId, detail.versions.find((v: any) => v.id === detail.currentVersionId));
    }
    return documents;
  }

  const externalIdOf = (api: ApigApi) => `${api.groupId} ${api.method} ${api.path}`;

  /** What the catalog must hold for an API of the sim (OAS 3.0 exports: the protocol comes from `servers`). */
  function expectedDocument(api: ApigApi) {
    const group = sim.apig.getGroup(api.groupId)!;
    const publications = sim.apig.publicationsOf(api.id);
    const envName = (id: string) => sim.apig.getEnv(id)!.name;
    const parameters = api.parameters.map((p) => ({
      name: p.name,
      location: p.location.toLowerCase(),
      type: p.type.toLowerCase(),
      required: p.required,
      default: p.defaultValue ?? null,
      example: null,
      description: p.description ?? null,
    }));
    if (api.body) parameters.push({ name: 'body', location: 'body', type: 'object', required: api.body.required, default: null, example: null, description: api.body.description });
    parameters.sort((a, b) => (a.location === b.location ? (a.name < b.name ? -1 : 1) : a.location < b.location ? -1 : 1));
    return {
      vendor: 'huawei',
      service: 'apig',
      name: api.name,
      method: api.method,
      path: api.path,
      protocols: group.entryUrlPlaceholder ? [] : ['https'],
      description: api.description || null,
      tags: [...api.tags].sort(),
      status: publications.length > 0 ? 'published' : 'unpublished',
      authType: AUTH_TYPES[api.authType],
      group: group.name,
      parameters,
      responseFields: [],
      backend: expectedBackend(api.backend),
      owner: null,
      createdAt: null,
      updatedAt: null,
      vendorExtras: expect.objectContaining({
        groupId: group.id,
        environments: publications
          .sort((a, b) => (envName(a.envId) < envName(b.envId) ? -1 : 1))
          .map((p) => ({
            id: p.envId,
            name: envName(p.envId),
            ratelimit: p.throttle ? { name: p.throttle, policy: expect.objectContaining({ 'api-limit': sim.apig.getThrottle(p.throttle)!.apiLimit }) } : null,
            accessControl: p.acl ? { name: p.acl, policy: { 'acl-type': sim.apig.getAcl(p.acl)!.aclType, 'entity-type': sim.apig.getAcl(p.acl)!.entityType, value: sim.apig.getAcl(p.acl)!.value } } : null,
          })),
        extensions: expect.objectContaining({ 'x-apigateway-match-mode': api.matchMode, 'x-apigateway-request-type': api.requestType, 'x-apigateway-cors': api.cors }),
      }),
    };
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 23, clock: () => exportTime });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey });
    const source = await t.app.get(SourcesService).upsert({
      name: 'apig',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.apig.instanceId },
      credentialName: 'sim',
    });
    sourceId = source.id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  afterEach(() => {
    sim.faults.clear();
  });

  it('catalogs exactly the APIs of the instance, one item per API whatever its environments, every mapped field', async () => {
    const run = await backup();
    expect(run.status).toBe('succeeded');
    const groups = sim.apig.listGroups();
    const envs = sim.apig.listEnvs();
    expect(run.artifacts).toHaveLength(groups.length * (envs.length + 1));
    expect(run.artifacts.every((a: any) => a.call === 'POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export')).toBe(true);
    expect(run.artifacts.map((a: any) => a.name)).toContain(`${groups[0].name}_RELEASE_all.json`);

    const estate = sim.apig.listApis();
    expect(estate).toHaveLength(30);
    expect(estate.some((api) => sim.apig.publicationsOf(api.id).length === 2)).toBe(true);
    const documents = await currentDocuments();
    expect([...documents.keys()].sort()).toEqual(estate.map(externalIdOf).sort());
    for (const api of estate) expect([api.id, documents.get(externalIdOf(api)).document]).toEqual([api.id, expectedDocument(api)]);
    // One part per group: what an export failure protects from tombstoning.
    const scopes = await t.db.prisma.catalogItem.findMany({ where: { sourceId }, select: { externalId: true, scope: true } });
    expect(new Map(scopes.map((i) => [i.externalId, i.scope]))).toEqual(new Map(estate.map((api) => [externalIdOf(api), `group:${api.groupId}`])));
    expect(run.changes.map((c: any) => c.type)).toEqual(estate.map(() => 'added'));
    expect(run.stats).toMatchObject({ added: 30, modified: 0, removed: 0, duplicateEntries: 0 });
    // What the listings said each group holds is what was cataloged.
    expect(run.stats.coverage).toEqual(
      expect.arrayContaining(groups.map((g) => ({ scope: `group:${g.id}`, expected: sim.apig.listApis({ groupId: g.id }).length, parsed: sim.apig.listApis({ groupId: g.id }).length, failure: null }))),
    );
  });

  it('writes no new version when the estate did not change (only the export time did)', async () => {
    const before = await catalogCounts();
    exportTime = new Date('2026-02-02T10:00:00Z');
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toEqual([]);
    expect(run.stats).toMatchObject({ added: 0, modified: 0, removed: 0, versionsWritten: 0 });
    // The bytes differ (info.version is the export time), the catalog does not.
    expect(run.stats.artifactsNew).toBe(run.artifacts.length);
    expect(await catalogCounts()).toEqual(before);
  });

  it('records one `modified` change for one vendor-side edit of an API published in two environments', async () => {
    const api = sim.apig.listApis().find((a) => sim.apig.publicationsOf(a.id).length === 2)!;
    sim.apig.upsertApi({ ...api, description: 'Edited at the vendor' });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toHaveLength(1);
    expect(run.changes[0]).toMatchObject({ type: 'modified', externalId: externalIdOf(api) });
    expect(run.changes[0].diff).toEqual([{ path: '/description', op: 'changed', before: api.description || null, after: 'Edited at the vendor' }]);
  });

  it('records publishing an API in one more environment as one modification, not a removal and an addition', async () => {
    const testEnv = sim.apig.listEnvs().find((e) => e.name === 'TEST')!;
    const api = sim.apig.listApis().find((a) => !sim.apig.isPublished(a.id))!;
    sim.apig.publish(api.id, testEnv.id, { throttle: 'throttle_default' });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes.map((c: any) => [c.type, c.externalId])).toEqual([['modified', externalIdOf(api)]]);
    const document = (await currentDocuments()).get(externalIdOf(api)).document;
    expect(document).toEqual(expectedDocument(sim.apig.getApi(api.id)!));
    expect(document.vendorExtras.environments.map((e: any) => [e.name, e.ratelimit?.name])).toEqual([['TEST', 'throttle_default']]);
  });

  it('ends `partial` when one group cannot be exported, applies the other groups, and keeps the failed group as it was', async () => {
    const [healthy, broken] = sim.apig.listGroups();
    const edited = sim.apig.listApis({ groupId: healthy.id })[0];
    sim.apig.upsertApi({ ...edited, tags: [...edited.tags, 'edited'].sort() });
    const deleted = sim.apig.listApis({ groupId: broken.id })[0];
    sim.apig.removeApi(deleted.id);
    const itemsBefore = (await items()).length;
    // Every attempt the HTTP client makes (4) fails, for this group's exports only.
    sim.faults.inject('http-500', { route: apigExportRouteOf(broken.id), times: 4 });

    const run = await backup();
    expect(run.status).toBe('partial');
    expect(run.error).toMatchObject({ stage: 'coverage', code: 'PARTIAL' });
    expect(run.error.parts).toEqual([
      expect.objectContaining({
        scope: `group:${broken.id}`,
        failure: expect.objectContaining({ stage: 'fetch', status: 500, vendorCode: 'APIG.9999', call: 'POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export', attempts: 4 }),
      }),
    ]);
    expect(run.error.message).toContain(`group:${broken.id}`);
    expect(run.error.parts[0].failure.message).toMatch(new RegExp(`^group ${broken.name} \\(${broken.id}\\), export of environment `));
    // The other groups' change went in; the failed group's deleted API is not taken for deleted.
    expect(run.changes.map((c: any) => [c.type, c.externalId])).toEqual([['modified', externalIdOf(edited)]]);
    expect((await items()).length).toBe(itemsBefore);

    sim.faults.clear();
    const healed = await backup();
    expect(healed.status).toBe('succeeded');
    expect(healed.changes.map((c: any) => [c.type, c.externalId])).toEqual([['removed', externalIdOf(deleted)]]);
  });

  it('recovers from a reset and an export cut short: the client fetches them again', async () => {
    const before = await catalogCounts();
    sim.faults.inject('reset', { route: 'apig.export' });
    sim.faults.inject('truncated', { route: 'apig.export' });
    const run = await backup();
    expect(run).toMatchObject({ status: 'succeeded', changes: [] });
    expect(sim.faults.list()).toEqual([]);
    expect(await catalogCounts()).toEqual(before);
  });

  it('backs up the configured groups only, and says so when one of them is not at the vendor', async () => {
    const [kept] = sim.apig.listGroups();
    const missing = 'ffffffffffffffffffffffffffffffff';
    const partialSource = await t.app.get(SourcesService).upsert({
      name: 'apig-some-groups',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.apig.instanceId, groups: [kept.id, missing] },
      credentialName: 'sim',
    });
    const run = await backup(partialSource.id);
    expect(run.status).toBe('partial');
    expect(run.error.parts).toEqual([expect.objectContaining({ scope: `group:${missing}`, failure: expect.objectContaining({ code: 'GROUP_NOT_FOUND' }) })]);
    expect((await items(partialSource.id)).map((i) => i.externalId).sort()).toEqual(sim.apig.listApis({ groupId: kept.id }).map(externalIdOf).sort());
  });

  it('catalogs the same APIs from Swagger 2.0 YAML exports', async () => {
    const yamlSource = await t.app.get(SourcesService).upsert({
      name: 'apig-yaml',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.apig.instanceId, oasVersion: '2.0', format: 'yaml' },
      credentialName: 'sim',
    });
    const run = await backup(yamlSource.id);
    expect(run.status).toBe('succeeded');
    expect(run.artifacts.every((a: any) => a.name.endsWith('.yaml'))).toBe(true);
    const fromYaml = await currentDocuments(yamlSource.id);
    const fromJson = await currentDocuments();
    expect([...fromYaml.keys()].sort()).toEqual([...fromJson.keys()].sort());
    for (const [id, { document }] of fromYaml) {
      const other = fromJson.get(id).document;
      for (const field of ['name', 'method', 'path', 'status', 'authType', 'group', 'parameters', 'backend', 'tags', 'description']) expect([id, field, document[field]]).toEqual([id, field, other[field]]);
      expect(document.vendorExtras.environments).toEqual(other.vendorExtras.environments);
      // Swagger 2.0 says the protocol of each API, which OpenAPI 3.0 exports do not.
      const api = sim.apig.listApis().find((a) => externalIdOf(a) === id)!;
      expect(document.protocols).toEqual(api.protocol === 'BOTH' ? ['http', 'https'] : [api.protocol.toLowerCase()]);
    }
  });

  it('never lets the planted backend secret or the vendor credential reach the database, the API or the logs', async () => {
    const planted = sim.apig
      .listApis()
      .flatMap((api) => api.backendParameters)
      .map((p) => p.value)
      .filter((value) => value.startsWith(PLANTED_SECRET_PREFIX));
    expect(planted.length).toBe(1);
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
