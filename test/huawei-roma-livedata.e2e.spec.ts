import { PLANTED_ROMA_SECRET_PREFIX, startVendorSim, type LiveDataApi, type VendorSim } from '#vendor-sim';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, startTestApp, type TestApp, backupViaApi, catalogRowCounts, tablesAsText } from './support/test-app.js';

const KIND = 'huawei.roma.livedata';

/** What apivault must catalog for a backend: its identity is the method and the path. */
const externalIdOf = (api: Pick<LiveDataApi, 'method' | 'path'>) => `${api.method} ${api.path}`;

describe.each(testDatabaseTargets)('ROMA Connect custom backends backed up end to end with an IAM password ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let sourceId: string;
  /** Every token the sim issued, collected before any revocation, for the leak check. */
  const issuedTokens = new Set<string>();

  const logins = () => sim.requests.filter((r) => r.path === '/v3/auth/tokens' && r.status === 201).length;

  /** Triggers a run over the REST API and waits for its outcome. */
  async function backup(): Promise<any> {
    const run = await backupViaApi(t, sourceId);
    for (const token of sim.iam.issuedTokenValues()) issuedTokens.add(token);
    return run;
  }

  const catalogCounts = () => catalogRowCounts(t.db);

  async function items(includeRemoved = false): Promise<any[]> {
    const page = await getJson(`${t.url}/api/v1/catalog/items?limit=500&includeRemoved=${includeRemoved}&source=${sourceId}`);
    return page.body.items;
  }

  async function item(externalId: string): Promise<any> {
    const found = (await items(true)).find((i) => i.externalId === externalId);
    return (await getJson(`${t.url}/api/v1/catalog/items/${found.id}`)).body;
  }

  beforeAll(async () => {
    // The wall clock: each export carries its own time, as the vendor's do; the catalog must not care.
    sim = await startVendorSim({ port: 0, seed: 11 });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    const [user] = sim.iam.users();
    await t.app.get(CredentialsService).upsert('roma-iam', {
      type: 'huawei-password',
      iamEndpoint: sim.baseUrl,
      domainName: user.domainName,
      userName: user.userName,
      password: user.password,
      projectName: sim.projectName,
    });
    const source = await t.app.get(SourcesService).upsert({
      name: 'roma',
      kind: KIND,
      config: { endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.roma.instanceId },
      credentialName: 'roma-iam',
    });
    sourceId = source.id;
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('catalogs exactly the estate of the instance, one export per application, scripts decoded', async () => {
    const run = await backup();
    expect(run.status).toBe('succeeded');
    const apps = sim.roma.apps();
    expect(run.artifacts).toHaveLength(apps.length);
    expect(logins()).toBe(1);

    const apis = sim.roma.apis();
    const catalogued = await items();
    expect(catalogued.map((i) => i.externalId).sort()).toEqual(apis.map(externalIdOf).sort());
    expect(catalogued.every((i) => i.kind === 'api')).toBe(true);
    expect(run.stats).toMatchObject({ added: apis.length, modified: 0, removed: 0 });
    expect(run.stats.coverage.map((p: any) => [p.scope, p.expected, p.parsed]).sort()).toEqual(
      apps.map((app) => [`app:${app.id}`, sim.roma.apis({ appId: app.id }).length, sim.roma.apis({ appId: app.id }).length]).sort(),
    );

    const appNames = new Map(apps.map((a) => [a.id, a.name]));
    for (const api of apis) {
      const { document } = (await item(externalIdOf(api))).versions.at(-1);
      expect(document).toMatchObject({
        vendor: 'huawei',
        service: 'roma.livedata',
        name: api.name,
        method: api.method,
        path: api.path,
        status: api.status === 'DEPLOYED' ? 'deployed' : 'developing',
        authType: api.signatureId === null ? 'none' : 'signature',
        group: appNames.get(api.appId),
        backend: { type: 'script', script: api.scripts[0].content },
      });
      expect(document.vendorExtras['x-livedata-scripts'].map((s: any) => s.content)).toEqual(api.scripts.map((s) => s.content));
      expect(document.vendorExtras['x-livedata-status']).toBe(api.status);
      expect(document.parameters.map((p: any) => p.name).sort()).toEqual(
        [...api.parameters.map((p) => p.name), ...(api.requestBody ? ['body'] : [])].sort(),
      );
    }
  });

  it('writes nothing new when the instance did not change, and reuses its IAM token', async () => {
    const before = await catalogCounts();
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toEqual([]);
    expect(run.stats).toMatchObject({ added: 0, modified: 0, removed: 0, versionsWritten: 0 });
    expect(await catalogCounts()).toEqual(before);
    expect(logins()).toBe(1);
  });

  it('records one `modified` change for a vendor-side script edit', async () => {
    const target = sim.roma.apis().find((api) => api.scripts[0].type === 'SQL')!;
    const edited = `${target.scripts[0].content}\nORDER BY id DESC`;
    sim.roma.patchApi(target.id, { scripts: [{ ...target.scripts[0], content: edited }, ...target.scripts.slice(1)] });
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes).toHaveLength(1);
    expect(run.changes[0]).toMatchObject({ type: 'modified', externalId: externalIdOf(target) });
    const paths = run.changes[0].diff.map((d: any) => d.path).sort();
    expect(paths).toEqual(['/backend/script', '/vendorExtras/x-livedata-scripts/0/content']);
    expect(run.changes[0].diff.find((d: any) => d.path === '/backend/script')).toMatchObject({ before: target.scripts[0].content, after: edited });
  });

  it('records a removal, and keeps going with a new token after the vendor revoked the old one', async () => {
    const victim = sim.roma.apis()[0];
    sim.roma.removeApi(victim.id);
    for (const token of sim.iam.issuedTokenValues()) issuedTokens.add(token);
    sim.iam.revokeAll();
    const run = await backup();
    expect(run.status).toBe('succeeded');
    expect(run.changes.map((c: any) => [c.type, c.externalId])).toEqual([['removed', externalIdOf(victim)]]);
    expect(logins()).toBe(2);
    sim.roma.upsertApi(victim);
    expect((await backup()).changes.map((c: any) => c.type)).toEqual(['restored']);
  });

  it('ends partial, naming the application, when an export comes back cut short at the size cap', async () => {
    const before = await catalogCounts();
    // About two backends fit: the vendor leaves the rest out, and only the listing tells.
    sim.roma.exportMaxBytes = 5_000;
    try {
      const run = await backup();
      expect(run.status).toBe('partial');
      expect(run.error).toMatchObject({ code: 'PARTIAL' });
      const short = run.error.parts.filter((p: any) => p.failure.code === 'SHORTFALL');
      expect(short.length).toBeGreaterThan(0);
      expect(short.every((p: any) => /^app:/.test(p.scope) && p.parsed < p.expected)).toBe(true);
      expect(run.changes).toEqual([]);
      expect(await catalogCounts()).toEqual(before);
    } finally {
      sim.roma.exportMaxBytes = 50 * 1024 * 1024;
    }
    expect((await backup()).status).toBe('succeeded');
  });

  it('ends partial when one application cannot be exported, and keeps its backends', async () => {
    const before = await catalogCounts();
    sim.faults.inject('http-400', { route: 'roma.export' });
    const run = await backup();
    expect(run.status).toBe('partial');
    expect(run.error.parts).toEqual([expect.objectContaining({ failure: expect.objectContaining({ code: 'HTTP_ERROR', status: 400 }) })]);
    expect(run.changes).toEqual([]);
    expect(await catalogCounts()).toEqual(before);
  });

  it('never lets a signature secret, an app secret, the password or a token reach the database, the API or the logs', async () => {
    const signatureSecrets = sim.roma.signatures().map((s) => s.secret);
    expect(signatureSecrets.every((s) => s.startsWith(PLANTED_ROMA_SECRET_PREFIX))).toBe(true);
    for (const token of sim.iam.issuedTokenValues()) issuedTokens.add(token);
    expect(issuedTokens.size).toBeGreaterThanOrEqual(2);
    const secrets = [
      ...signatureSecrets,
      ...sim.roma.signatures().map((s) => s.key),
      ...sim.roma.apps().map((a) => a.appSecret),
      sim.iam.users()[0].password,
      ...issuedTokens,
    ];

    const tables = ['sources', 'credentials', 'runs', 'artifacts', 'run_artifacts', 'catalog_items', 'catalog_versions', 'change_events', 'settings'];
    const dump = await tablesAsText(t.db, tables);
    expect(dump).toContain('hmac-sha256:');
    let answers = (await getJson(`${t.url}/api/v1/sources`)).text;
    for (const catalogued of await items(true)) answers += (await getJson(`${t.url}/api/v1/catalog/items/${catalogued.id}`)).text;
    const runs = await getJson(`${t.url}/api/v1/runs?limit=500`);
    for (const run of runs.body.items) answers += (await getJson(`${t.url}/api/v1/runs/${run.id}`)).text;
    const logs = t.logs.join('');
    expect(logs).toContain('run finished');
    expect(dump + answers + logs).not.toContain(PLANTED_ROMA_SECRET_PREFIX);

    for (const secret of secrets) {
      expect([secret, dump.includes(secret)]).toEqual([secret, false]);
      expect([secret, answers.includes(secret)]).toEqual([secret, false]);
      expect([secret, logs.includes(secret)]).toEqual([secret, false]);
    }
  });
});
