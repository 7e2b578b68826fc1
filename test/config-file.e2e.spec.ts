import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConnectorRegistry } from '#connectors';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { ConfigApplierService } from '../apps/apivault/src/config-file/config-applier.service.js';
import { loadConfigFile } from '../apps/apivault/src/config-file/config-file-loader.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { getJson, postJson, requestJson, startTestApp, type TestApp } from './support/test-app.js';

/** apivault.yaml applied to a running apivault: declared sources, ${ENV} secrets, idempotence, and the API's refusals. */
describe.each(testDatabaseTargets)('declarative configuration (apivault.yaml) ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let file: string;
  let env: NodeJS.ProcessEnv;

  function yaml(sources: string[]): string {
    return [
      'credentials:',
      '  sim-aksk:',
      '    type: huawei-aksk',
      '    accessKeyId: ${SIM_AK}',
      '    secretAccessKey: ${SIM_SK}',
      'sources:',
      ...sources,
    ].join('\n');
  }

  const dlf = (name: string, schedule = '0 3 * * *') => [
    `  - name: ${name}`,
    '    kind: huawei.dataarts.dlf.connections',
    `    config: { endpoint: "${sim.baseUrl}", projectId: "${sim.projectId}" }`,
    '    credential: sim-aksk',
    `    schedule: "${schedule}"`,
  ];

  async function apply(text: string) {
    writeFileSync(file, text);
    const loaded = loadConfigFile(file, { env, registry: defaultConnectorRegistry() });
    return t.app.get(ConfigApplierService).apply(loaded.config, loaded.file);
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 9 });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    file = path.join(t.dataDir, 'apivault.yaml');
    env = { SIM_AK: sim.credentials.accessKeyId, SIM_SK: sim.credentials.secretAccessKey };
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('creates the declared credentials and sources, marked as managed by the file', async () => {
    const report = await apply(yaml([...dlf('dlf-a'), ...dlf('dlf-b', '30 2 * * 1')]));
    expect(report.credentials).toEqual([{ name: 'sim-aksk', changed: true }]);
    expect(report.sources.map((s) => [s.name, s.changed])).toEqual([
      ['dlf-a', true],
      ['dlf-b', true],
    ]);
    const sources = (await getJson(`${t.url}/api/v1/sources`)).body.items;
    expect(sources.map((s: any) => [s.name, s.managedBy, s.schedule, s.credentialName])).toEqual([
      ['dlf-a', 'file', '0 3 * * *', 'sim-aksk'],
      ['dlf-b', 'file', '30 2 * * 1', 'sim-aksk'],
    ]);
    // The interpolated secret works: a backup of a declared source succeeds.
    const started = await postJson(`${t.url}/api/v1/sources/dlf-a/runs`);
    let run = started.body;
    while (run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await getJson(`${t.url}/api/v1/runs/${started.body.id}`)).body;
    }
    expect(run.status).toBe('succeeded');
  });

  it('changes nothing when the same file is applied again', async () => {
    const before = await t.db.prisma.auditEvent.count();
    const updatedAt = (await t.db.prisma.credential.findUnique({ where: { name: 'sim-aksk' } }))!.updatedAt;
    const report = await apply(yaml([...dlf('dlf-a'), ...dlf('dlf-b', '30 2 * * 1')]));
    expect([...report.credentials, ...report.sources].every((r) => !r.changed)).toBe(true);
    expect(await t.db.prisma.auditEvent.count()).toBe(before);
    expect((await t.db.prisma.credential.findUnique({ where: { name: 'sim-aksk' } }))!.updatedAt).toEqual(updatedAt);
  });

  it('refuses API edits and deletions of what the file manages (409)', async () => {
    const edit = await requestJson('PATCH', `${t.url}/api/v1/sources/dlf-a`, { enabled: false });
    expect(edit.status).toBe(409);
    expect(edit.body.error).toMatchObject({ code: 'MANAGED_BY_FILE', details: { managedBy: 'file' } });
    expect((await requestJson('DELETE', `${t.url}/api/v1/sources/dlf-b`)).body.error.code).toBe('MANAGED_BY_FILE');
    expect((await postJson(`${t.url}/api/v1/credentials/sim-aksk/rotate`, { secret: { type: 'huawei-token', token: 't' } })).body.error.code).toBe('MANAGED_BY_FILE');
    expect((await requestJson('DELETE', `${t.url}/api/v1/credentials/sim-aksk`)).body.error.code).toBe('MANAGED_BY_FILE');
  });

  it('updates what changed in the file, and releases (disables) a source the file no longer declares', async () => {
    const report = await apply(yaml(dlf('dlf-a', '0 4 * * *')));
    expect(report.sources).toEqual([expect.objectContaining({ name: 'dlf-a', changed: true })]);
    expect(report.released).toEqual(['dlf-b']);
    const a = (await getJson(`${t.url}/api/v1/sources/dlf-a`)).body;
    const b = (await getJson(`${t.url}/api/v1/sources/dlf-b`)).body;
    expect(a).toMatchObject({ schedule: '0 4 * * *', managedBy: 'file', enabled: true });
    expect(b).toMatchObject({ managedBy: null, enabled: false });
    expect((await requestJson('PATCH', `${t.url}/api/v1/sources/dlf-b`, { enabled: true })).body).toMatchObject({ enabled: true });
    const events = (await getJson(`${t.url}/api/v1/audit?actor=config-file`)).body.items;
    expect(events[0]).toMatchObject({ method: 'APPLY', route: 'apivault.yaml source', path: 'dlf-b', details: { released: true } });
  });

  it('never writes the interpolated secret to an answer or a log line', async () => {
    const answers = (await getJson(`${t.url}/api/v1/credentials`)).text + (await getJson(`${t.url}/api/v1/sources`)).text + (await getJson(`${t.url}/api/v1/audit`)).text;
    expect(answers).toContain('sim-aksk');
    expect(answers).not.toContain(sim.credentials.secretAccessKey);
    expect(t.logs.join('')).toContain('configuration file applied');
    expect(t.logs.join('')).not.toContain(sim.credentials.secretAccessKey);
  });
});
