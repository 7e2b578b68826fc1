import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SecretRedactor, type CatalogEntry } from '#catalog-model';
import { verifyHuaweiSignature, type VendorCredential } from '#cloud-auth';
import type { ArchivedArtifact, ConnectorContext, ConnectorProgress, RawArtifact } from '../connector.js';
import { ArtifactFormatError, ConfigError, VendorCallError } from '../errors.js';
import { defaultConnectorRegistry, ConnectorRegistry } from '../registry.js';
import { TempFiles, zipOf, type ZipFixtureEntry } from '../test/zip-fixtures.js';
import { DLF_CONNECTIONS_KIND, DlfConnectionsConnector } from './dlf-connections-connector.js';
import type { DlfConnectionsConfig } from './dlf-connections-config.js';

const connector = new DlfConnectionsConnector();
const temp = new TempFiles();
afterAll(() => temp.cleanup());

const PLANTED_PASSWORD = 'Pl4nted-Clear-Passw0rd!';
const credential: VendorCredential = { type: 'huawei-aksk', accessKeyId: 'AK-DLF-TEST', secretAccessKey: 'SK-DLF-TEST-secret' };

interface TestContext {
  ctx: ConnectorContext;
  warnings: Array<Record<string, unknown>>;
  progress: ConnectorProgress[];
}

function testContext(signal: AbortSignal = new AbortController().signal): TestContext {
  const warnings: Array<Record<string, unknown>> = [];
  const progress: ConnectorProgress[] = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      warnings.push(JSON.parse(line.toString()) as Record<string, unknown>);
      done();
    },
  });
  const ctx: ConnectorContext = {
    logger: pino({ level: 'warn' }, sink),
    signal,
    credential,
    redactor: new SecretRedactor(Buffer.alloc(32, 7)),
    progress: (update) => progress.push(update),
    expect: () => undefined,
    partFailed: (scope) => {
      throw new Error(`the DLF connector reports no parts, got ${scope}`);
    },
  };
  return { ctx, warnings, progress };
}

function config(overrides: Record<string, unknown> = {}): DlfConnectionsConfig {
  return connector.validateConfig({ endpoint: 'https://dayu-dlf.cn-north-4.myhuaweicloud.com', projectId: 'p0123', ...overrides });
}

async function artifactOf(entries: Record<string, ZipFixtureEntry>, meta?: ArchivedArtifact['meta']): Promise<ArchivedArtifact> {
  const zip = zipOf(entries);
  const name = `dlf-${createHash('sha256').update(zip).digest('hex').slice(0, 12)}.zip`;
  return {
    name: 'DLF_All_DataConnections.zip',
    call: 'POST /v1/{project_id}/connections/export',
    sha256: createHash('sha256').update(zip).digest('hex'),
    size: zip.length,
    localPath: await temp.write(name, zip),
    meta,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const dwsConnection = {
  name: 'dws_sales',
  type: 'DWS',
  description: 'sales warehouse',
  config: {
    clusterName: 'dws-cluster-1',
    ip: '192.168.0.10',
    port: '8000',
    userName: 'dbadmin',
    password: PLANTED_PASSWORD,
    sslEnable: true,
    kmsKey: 'kms-key-material-123',
    agentName: 'cdm-agent',
  },
  createUser: 'alice',
  qualifiedName: 'dws_sales@ws-01',
};
const hostConnection = { name: 'etl-host', type: 'HOST', config: { ip: '10.0.0.5', port: 22, userName: 'etl', password: '*********' } };

describe('DlfConnectionsConnector.validateConfig', () => {
  it('applies defaults and trims the endpoint', () => {
    expect(config({ endpoint: 'http://127.0.0.1:9090/huawei/', workspace: 'ws-01' })).toEqual({
      endpoint: 'http://127.0.0.1:9090/huawei',
      projectId: 'p0123',
      workspace: 'ws-01',
      timeoutMs: 120_000,
    });
  });

  it.each([
    [{ endpoint: 'not a url' }, /endpoint: /],
    [{ endpoint: 'ftp://dlf.example.com' }, /endpoint: must be an http\(s\) URL/],
    [{ projectId: 'a/b' }, /projectId: must be a Huawei project id/],
    [{ timeoutMs: -1 }, /timeoutMs: /],
    [{ limits: { maxEntries: 0 } }, /limits\.maxEntries: /],
    [{ rateLimit: { perSecond: 0 } }, /rateLimit\.perSecond: must be above 0/],
    [{ rateLimit: { concurrency: 2.5 } }, /rateLimit\.concurrency: /],
    [{ rateLimit: { perMinute: 1 } }, /rateLimit: .*perMinute/],
    [{ workSpace: 'typo' }, /workSpace/],
  ])('names the bad field in %j', (overrides, message) => {
    expect(() => config(overrides)).toThrow(ConfigError);
    expect(() => config(overrides)).toThrow(message);
  });

  it('refuses a missing projectId', () => {
    expect(() => connector.validateConfig({ endpoint: 'https://x.example.com' })).toThrow(/projectId/);
  });
});

describe('DlfConnectionsConnector.parse', () => {
  it('normalizes every connections/*.conn into a redacted connection entry', async () => {
    const artifact = await artifactOf(
      {
        'connections/': new Uint8Array(0),
        'connections/dws_sales.conn': JSON.stringify(dwsConnection),
        'connections/etl-host.conn': `\uFEFF${JSON.stringify(hostConnection, null, 2)}`,
        'manifest.json': '{"version":1}',
      },
      { workspace: 'ws-01' },
    );
    const { ctx, warnings, progress } = testContext();
    const entries = await collect(connector.parse(artifact, config(), ctx));

    expect(entries.map((e) => [e.kind, e.externalId, e.name, e.origin])).toEqual([
      ['connection', 'ws-01/dws_sales', 'dws_sales', { artifactSha256: artifact.sha256, locator: 'connections/dws_sales.conn' }],
      ['connection', 'ws-01/etl-host', 'etl-host', { artifactSha256: artifact.sha256, locator: 'connections/etl-host.conn' }],
    ]);
    const [dws, host] = entries;
    expect(dws.document).toMatchObject({
      name: 'dws_sales',
      type: 'DWS',
      description: 'sales warehouse',
      workspace: 'ws-01',
      config: { clusterName: 'dws-cluster-1', port: '8000', userName: 'dbadmin', sslEnable: true },
      extra: { createUser: 'alice', qualifiedName: 'dws_sales@ws-01' },
    });
    expect(dws.redactedPaths.sort()).toEqual(['/config/kmsKey', '/config/password']);
    expect((dws.document.config as Record<string, unknown>).password).toEqual({ $redacted: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    expect(host.document).toMatchObject({ type: 'HOST', description: null, config: { password: { $redacted: 'masked-by-vendor' } } });
    expect(host.document).not.toHaveProperty('extra');

    expect(warnings).toEqual([expect.objectContaining({ entry: 'manifest.json', artifact: 'DLF_All_DataConnections.zip' })]);
    expect(progress.at(-1)).toEqual({ itemsParsed: 2 });
  });

  it('never lets the planted clear password out of the connector', async () => {
    const artifact = await artifactOf({ 'connections/dws_sales.conn': JSON.stringify(dwsConnection) });
    const entries = await collect(connector.parse(artifact, config(), testContext().ctx));
    const everything = JSON.stringify(entries);
    expect(everything).not.toContain(PLANTED_PASSWORD);
    expect(everything).not.toContain('kms-key-material-123');
  });

  it('uses the bare connection name as externalId for the default workspace', async () => {
    const artifact = await artifactOf({ 'connections/etl-host.conn': JSON.stringify(hostConnection) }, { workspace: '' });
    const [entry] = await collect(connector.parse(artifact, config({ workspace: 'changed-since' }), testContext().ctx));
    expect(entry.externalId).toBe('etl-host');
    expect(entry.document.workspace).toBeNull();
  });

  it('fails the whole artifact on one bad .conn, naming it, without quoting its content', async () => {
    const artifact = await artifactOf({
      'connections/dws_sales.conn': JSON.stringify(dwsConnection),
      'connections/broken.conn': `{"name":"broken","config":{"password":"${PLANTED_PASSWORD}",}`,
    });
    const yielded: CatalogEntry[] = [];
    const error = await (async () => {
      for await (const entry of connector.parse(artifact, config(), testContext().ctx)) yielded.push(entry);
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArtifactFormatError);
    expect((error as ArtifactFormatError).code).toBe('BAD_CONN_JSON');
    expect((error as ArtifactFormatError).message).toMatch(/^DLF_All_DataConnections\.zip: entry "connections\/broken\.conn" is not valid JSON/);
    expect((error as ArtifactFormatError).message).not.toContain(PLANTED_PASSWORD);
    expect(yielded).toEqual([]);
  });

  it.each([
    ['[1,2]', 'is not a JSON object'],
    ['{"type":"DWS"}', 'has no connection name'],
  ])('refuses the .conn %s', async (content, message) => {
    const artifact = await artifactOf({ 'connections/x.conn': content });
    await expect(collect(connector.parse(artifact, config(), testContext().ctx))).rejects.toThrow(message);
  });

  it('refuses two entries holding the same connection', async () => {
    const artifact = await artifactOf({
      'connections/a.conn': JSON.stringify(hostConnection),
      'connections/b.conn': JSON.stringify(hostConnection),
    });
    await expect(collect(connector.parse(artifact, config(), testContext().ctx))).rejects.toMatchObject({ code: 'DUPLICATE_CONNECTION' });
  });

  it('refuses an unsafe archive through the safe zip reader', async () => {
    const artifact = await artifactOf({ 'connections/../../x.conn': JSON.stringify(hostConnection) });
    await expect(collect(connector.parse(artifact, config(), testContext().ctx))).rejects.toMatchObject({ code: 'ZIP_SLIP' });
  });
});

describe('DlfConnectionsConnector.fetch', () => {
  let server: Server;
  let endpoint: string;
  let received: Array<{ req: IncomingMessage; body: Buffer; verdict: ReturnType<typeof verifyHuaweiSignature> }> = [];
  const exportZip = zipOf({ 'connections/etl-host.conn': JSON.stringify(hostConnection) });
  let answer: (res: import('node:http').ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const verdict = verifyHuaweiSignature(
          { method: req.method ?? '', url: `http://${req.headers.host}${req.url}`, headers, body },
          (ak) => (ak === 'AK-DLF-TEST' ? 'SK-DLF-TEST-secret' : undefined),
        );
        received.push({ req, body, verdict });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sim/huawei`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received = [];
  });

  it('makes one signed export call and yields the zip as sent', async () => {
    answer = (res) =>
      res
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': 'attachment; filename="DLF_All_DataConnections.zip"',
        })
        .end(exportZip);
    const { ctx, progress } = testContext();
    const artifacts: RawArtifact[] = [];
    const bodies: Buffer[] = [];
    for await (const artifact of connector.fetch(config({ endpoint, workspace: 'ws-01' }), ctx)) {
      artifacts.push(artifact);
      const chunks: Buffer[] = [];
      for await (const chunk of artifact.body) chunks.push(chunk as Buffer);
      bodies.push(Buffer.concat(chunks));
    }

    expect(received).toHaveLength(1);
    const [{ req, body, verdict }] = received;
    expect(verdict).toEqual({ ok: true, accessKeyId: 'AK-DLF-TEST' });
    expect([req.method, req.url, req.headers.workspace, body.length]).toEqual(['POST', '/sim/huawei/v1/p0123/connections/export', 'ws-01', 0]);
    expect(artifacts.map(({ name, call, contentType, meta }) => ({ name, call, contentType, meta }))).toEqual([
      {
        name: 'DLF_All_DataConnections.zip',
        call: 'POST /v1/{project_id}/connections/export',
        contentType: 'application/octet-stream',
        meta: { workspace: 'ws-01' },
      },
    ]);
    expect(bodies[0].equals(exportZip)).toBe(true);
    expect(progress).toEqual([{ callsPlanned: 1, callsDone: 0 }, { callsDone: 1 }]);
  });

  it('names the artifact after the default file when the vendor gives no name', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(exportZip);
    const artifacts = await collect(connector.fetch(config({ endpoint }), testContext().ctx));
    expect(artifacts[0].name).toBe('DLF_All_DataConnections.zip');
    expect(received[0].req.headers.workspace).toBeUndefined();
    artifacts[0].body.destroy();
  });

  it('turns a DLF error into a VendorCallError carrying the vendor code', async () => {
    answer = (res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error_code":"DLF.6322","error_msg":"The connection does not exist."}');
    const error = await collect(connector.fetch(config({ endpoint }), testContext().ctx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorCallError);
    expect((error as VendorCallError).toDetails()).toEqual({
      stage: 'fetch',
      code: 'HTTP_ERROR',
      message: 'POST /v1/{project_id}/connections/export: vendor answered 400 DLF.6322: The connection does not exist.',
      call: 'POST /v1/{project_id}/connections/export',
      status: 400,
      vendorCode: 'DLF.6322',
    });
  });

  it('fetches the export again when its body is cut short, signing every attempt', async () => {
    const bigExport = zipOf({ 'connections/etl-host.conn': [JSON.stringify({ ...hostConnection, pad: 'p'.repeat(32_000) }), { level: 0 }] });
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bigExport.length) });
      if (received.length > 1) return void res.end(bigExport);
      res.write(bigExport.subarray(0, 8_000), () => setTimeout(() => res.socket?.resetAndDestroy(), 10));
    };
    const { ctx, warnings } = testContext();
    const artifacts = await collect(connector.fetch(config({ endpoint }), ctx));
    const chunks: Buffer[] = [];
    for await (const chunk of artifacts[0].body) chunks.push(chunk as Buffer);

    expect(Buffer.concat(chunks).equals(bigExport)).toBe(true);
    expect(received.map(({ verdict }) => verdict)).toEqual([
      { ok: true, accessKeyId: 'AK-DLF-TEST' },
      { ok: true, accessKeyId: 'AK-DLF-TEST' },
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({ msg: 'vendor call failed; retrying', call: 'POST /v1/{project_id}/connections/export', code: 'NETWORK', attempt: 1 }),
    ]);
  });

  it('waits out a 503 with Retry-After and does not log the signature', async () => {
    answer = (res) =>
      received.length === 1
        ? res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"error_code":"DLF.0001","error_msg":"busy"}')
        : res.writeHead(200, { 'content-type': 'application/zip' }).end(exportZip);
    const { ctx, warnings } = testContext();
    const artifacts = await collect(connector.fetch(config({ endpoint }), ctx));
    artifacts[0].body.destroy();
    expect(received).toHaveLength(2);
    expect(warnings).toEqual([expect.objectContaining({ status: 503, vendorCode: 'DLF.0001', waitMs: 0, basis: 'retry-after' })]);
    expect(JSON.stringify(warnings)).not.toMatch(/AK-DLF-TEST|Signature|SDK-HMAC/);
  });

  it('refuses to call without a credential', async () => {
    const { ctx } = testContext();
    await expect(collect(connector.fetch(config({ endpoint }), { ...ctx, credential: null }))).rejects.toThrow(ConfigError);
    expect(received).toHaveLength(0);
  });
});

describe('ConnectorRegistry', () => {
  it('knows the DLF connector by kind', () => {
    const registry = defaultConnectorRegistry();
    expect(registry.kinds()).toContain(DLF_CONNECTIONS_KIND);
    expect(registry.get(DLF_CONNECTIONS_KIND)).toBeInstanceOf(DlfConnectionsConnector);
  });

  it('lists the known kinds when asked for an unknown one', () => {
    // Other connectors join the registry; the message must list every kind, DLF among them.
    const registry = defaultConnectorRegistry();
    expect(() => registry.get('no.such.kind')).toThrow(`unknown source kind "no.such.kind"; known kinds: ${registry.kinds().join(', ')}`);
    expect(registry.kinds()).toContain(DLF_CONNECTIONS_KIND);
  });

  it('refuses a kind registered twice', () => {
    expect(() => new ConnectorRegistry().register(connector).register(new DlfConnectionsConnector())).toThrow(/registered twice/);
  });
});
