import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SecretRedactor, type CatalogEntry } from '#catalog-model';
import type { VendorCredential } from '#cloud-auth';
import { ConnectorError, RomaLiveDataConnector, VendorCallError, type ConnectorContext, type RawArtifact } from '#connectors';
import { startVendorSim, type VendorSim } from '#vendor-sim';

/** The ROMA connector's fetch against vendor-sim over real HTTP, with a recording context. */
describe('RomaLiveDataConnector.fetch against vendor-sim', () => {
  const connector = new RomaLiveDataConnector();
  let sim: VendorSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startVendorSim({ seed: 5 });
    dir = await mkdtemp(join(tmpdir(), 'roma-fetch-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.requests.length = 0;
  });

  function recordingContext(credential: VendorCredential = { type: 'huawei-aksk', ...sim.credentials, token: undefined } as VendorCredential) {
    const expected = new Map<string, number>();
    const failed: { scope: string; error: unknown }[] = [];
    const ctx: ConnectorContext = {
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      credential,
      redactor: new SecretRedactor(Buffer.alloc(32, 3)),
      progress: () => undefined,
      expect: (scope, count) => expected.set(scope, (expected.get(scope) ?? 0) + count),
      partFailed: (scope, error) => failed.push({ scope, error }),
    };
    return { ctx, expected, failed };
  }

  function config(overrides: Record<string, unknown> = {}) {
    return connector.validateConfig({ endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.roma.instanceId, ...overrides });
  }

  /** Fetches, reads every body, and parses it back: what a run does, without the archive. */
  async function backup(configOverrides: Record<string, unknown> = {}, context = recordingContext()) {
    const cfg = config(configOverrides);
    const artifacts: RawArtifact[] = [];
    const entries: CatalogEntry[] = [];
    for await (const artifact of connector.fetch(cfg, context.ctx)) {
      artifacts.push(artifact);
      const chunks: Buffer[] = [];
      for await (const chunk of artifact.body) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const sha256 = createHash('sha256').update(body).digest('hex');
      const localPath = join(dir, sha256);
      await writeFile(localPath, body);
      for await (const entry of connector.parse({ ...artifact, sha256, size: body.length, localPath }, cfg, context.ctx)) entries.push(entry);
    }
    return { ...context, artifacts, entries };
  }

  const calls = () => sim.requests.map((r) => `${r.method} ${r.path.replace(/^\/v2\/[^/]+\/apic\/instances\/[^/]+/, '')} ${r.status}`);

  it('backs up every application: one listing of apps, one of backends, one export each', async () => {
    const { artifacts, entries, expected, failed } = await backup();
    const apps = sim.roma.apps();
    expect(failed).toEqual([]);
    expect(artifacts.map((a) => a.scope)).toEqual(apps.map((a) => `app:${a.id}`));
    expect(artifacts.map((a) => a.meta)).toEqual(apps.map((a) => ({ appId: a.id, appName: a.name, format: 'json' })));
    expect(Object.fromEntries(expected)).toEqual(Object.fromEntries(apps.map((a) => [`app:${a.id}`, sim.roma.apis({ appId: a.id }).length])));
    expect(calls()).toEqual(['GET /apps 200', 'GET /livedata-apis 200', ...apps.map(() => 'POST /openapi/livedata-apis/export 200')]);
    expect(entries.map((e) => e.externalId).sort()).toEqual(sim.roma.apis().map((a) => `${a.method} ${a.path}`).sort());
    for (const entry of entries) expect(entry.scope).toBe(`app:${sim.roma.apis().find((a) => `${a.method} ${a.path}` === entry.externalId)!.appId}`);
  });

  it('backs up only the configured applications, counting each, and reports one the instance lacks', async () => {
    const [first, second] = sim.roma.apps();
    const { artifacts, expected, failed } = await backup({ apps: [second.id, 'no-such-app', first.id] });
    expect(artifacts.map((a) => a.scope)).toEqual([`app:${second.id}`, `app:${first.id}`]);
    expect([...expected.keys()]).toEqual([`app:${second.id}`, `app:${first.id}`]);
    expect(failed).toHaveLength(1);
    expect(failed[0].scope).toBe('app:no-such-app');
    expect(failed[0].error).toBeInstanceOf(ConnectorError);
    expect((failed[0].error as ConnectorError).code).toBe('APP_NOT_FOUND');
    expect(calls().filter((c) => c.startsWith('GET /livedata-apis'))).toHaveLength(2);
  });

  it('gives the same entries for a YAML export', async () => {
    const json = await backup();
    const yaml = await backup({ format: 'yaml' });
    expect(yaml.artifacts.every((a) => a.name === 'livedata-apis.yaml')).toBe(true);
    expect(yaml.entries.map((e) => [e.externalId, e.document])).toEqual(json.entries.map((e) => [e.externalId, e.document]));
  });

  it('reports an application whose export fails and goes on with the others', async () => {
    sim.faults.inject('http-400', { route: 'roma.export' });
    const { artifacts, failed } = await backup();
    expect(artifacts).toHaveLength(sim.roma.apps().length - 1);
    expect(failed.map((f) => f.scope)).toEqual([`app:${sim.roma.apps()[0].id}`]);
    expect(failed[0].error).toBeInstanceOf(VendorCallError);
  });

  it('fails the whole run on a refused AK/SK, at the first call', async () => {
    const wrong = { type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: 'not-the-secret' } as VendorCredential;
    await expect(backup({}, recordingContext(wrong))).rejects.toMatchObject({ code: 'HTTP_ERROR', extra: { status: 401 } });
    expect(calls()).toEqual(['GET /apps 401']);
  });

  it('fails the run when a per-application call is refused (401 on an export)', async () => {
    sim.faults.inject('http-401', { route: 'roma.export', times: 2 });
    await expect(backup()).rejects.toMatchObject({ extra: { status: 401, call: 'POST /v2/{project_id}/apic/instances/{instance_id}/openapi/livedata-apis/export' } });
  });
});
