import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyHuaweiSignature } from '#cloud-auth';
import type { RawArtifact } from '../connector.js';
import { ConfigError, VendorCallError } from '../errors.js';
import { defaultConnectorRegistry } from '../registry.js';
import { zipOf } from '../test/zip-fixtures.js';
import { DATASERVICE_KIND, DataServiceConnector } from './dataservice-connector.js';
import { testContext } from './test/dataservice-fixtures.js';

const exportZip = zipOf({ 'DataService_APIs_001.xlsx': 'workbook bytes' });
const limitBody = JSON.stringify({ error_code: 'DLS.1029', error_msg: 'Export too frequently; try again later.' });

describe('DataServiceConnector.validateConfig', () => {
  const connector = new DataServiceConnector();
  const base = { endpoint: 'https://dayu.cn-north-4.myhuaweicloud.com/', projectId: 'p0123', workspace: 'ws-1' };

  it('accepts the minimal configuration and the filters', () => {
    expect(connector.validateConfig(base)).toMatchObject({ endpoint: 'https://dayu.cn-north-4.myhuaweicloud.com', workspace: 'ws-1' });
    const filters = { name: '订单', tags: ['core'], publish_status_type: 'PUBLISHED', start_time: '2024-01-01T00:00:00Z', end_time: '2024-06-30T23:59:59+08:00' };
    expect(connector.validateConfig({ ...base, dlmType: 'EXCLUSIVE', filters }).filters).toEqual(filters);
  });

  it.each([
    [{ workspace: undefined }, 'workspace'],
    [{ workspace: '' }, 'workspace'],
    [{ dlmType: 'PRIVATE' }, 'dlmType'],
    [{ filters: { start_time: '2024-01-01 00:00:00' } }, 'filters.start_time'],
    [{ filters: { start_time: '2024-02-01T00:00:00Z', end_time: '2024-01-01T00:00:00Z' } }, 'filters.end_time'],
    [{ filters: { api_specific_type_str: 'API_SPECIFIC_TYPE_REGISTER' } }, 'filters.api_specific_type_str'],
    [{ filters: { colour: 'red' } }, 'filters'],
  ])('refuses %j, naming %s', (overrides, field) => {
    expect(() => connector.validateConfig({ ...base, ...overrides })).toThrow(ConfigError);
    expect(() => connector.validateConfig({ ...base, ...overrides })).toThrow(new RegExp(`${field.replace('.', '\\.')}`));
  });

  it('is registered under its kind', () => {
    expect(defaultConnectorRegistry().get(DATASERVICE_KIND)).toBeInstanceOf(DataServiceConnector);
  });
});

describe('DataServiceConnector.fetch', () => {
  let server: Server;
  let endpoint: string;
  let received: Array<{ req: IncomingMessage; body: string; verified: boolean }> = [];
  let answers: Array<(res: ServerResponse) => void> = [];

  const zipAnswer = (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="DataService_APIs.zip"' }).end(exportZip);
  const limitAnswer = (status: number, headers: Record<string, string> = {}) => (res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(limitBody);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const verdict = verifyHuaweiSignature({ method: req.method ?? '', url: `http://${req.headers.host}${req.url}`, headers, body }, (ak) =>
          ak === 'AK-DS-TEST' ? 'SK-DS-TEST-secret' : undefined,
        );
        received.push({ req, body: body.toString('utf8'), verified: verdict.ok });
        (answers.shift() ?? zipAnswer)(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/huawei`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
    answers = [];
  });

  async function fetchAll(connector: DataServiceConnector, overrides: Record<string, unknown> = {}, ctx = testContext().ctx): Promise<RawArtifact[]> {
    // The kind's rate limit (one call a second) would only slow these tests down.
    const config = connector.validateConfig({ endpoint, projectId: 'p0123', workspace: 'ws-1', rateLimit: { perSecond: 100 }, ...overrides });
    const artifacts: RawArtifact[] = [];
    for await (const artifact of connector.fetch(config, ctx)) {
      artifacts.push(artifact);
      artifact.body.resume();
    }
    return artifacts;
  }

  it('makes one signed export call with the workspace, Dlm-Type and filters, and yields the zip scoped to the workspace', async () => {
    const { ctx, progress } = testContext();
    const artifacts = await fetchAll(new DataServiceConnector(), { dlmType: 'EXCLUSIVE', filters: { name: '订单', tags: ['core'] } }, ctx);
    expect(received).toHaveLength(1);
    const [{ req, body, verified }] = received;
    expect(verified).toBe(true);
    expect([req.method, req.url, req.headers.workspace, req.headers['dlm-type'], req.headers['content-type']]).toEqual([
      'POST',
      '/huawei/v1/p0123/service/export/zip',
      'ws-1',
      'EXCLUSIVE',
      'application/json;charset=utf8',
    ]);
    expect(JSON.parse(body)).toEqual({ name: '订单', tags: ['core'] });
    expect(artifacts.map(({ name, call, scope, meta }) => ({ name, call, scope, meta }))).toEqual([
      { name: 'DataService_APIs.zip', call: 'POST /v1/{project_id}/service/export/zip', scope: 'workspace:ws-1', meta: { workspace: 'ws-1', dlmType: 'EXCLUSIVE' } },
    ]);
    expect(progress).toEqual([{ callsPlanned: 1, callsDone: 0 }, { callsDone: 1 }]);
  });

  it('sends no Dlm-Type and an empty filter object by default', async () => {
    await fetchAll(new DataServiceConnector());
    expect(received[0].req.headers['dlm-type']).toBeUndefined();
    expect(received[0].body).toBe('{}');
  });

  it('waits out the per-minute limit when the vendor answers it without Retry-After (400 DLS.1029), then exports', async () => {
    answers = [limitAnswer(400), limitAnswer(400)];
    const { ctx, logs } = testContext();
    const artifacts = await fetchAll(new DataServiceConnector({ exportLimitBackoff: { waitsMs: [40, 80], maxRetryAfterMs: 1000 } }), {}, ctx);
    expect(artifacts).toHaveLength(1);
    expect(received).toHaveLength(3);
    const waits = logs.filter((l) => l.msg === 'DataService export limit: waiting before exporting again');
    expect(waits.map((w) => [w.waitMs, w.vendorCode, w.retry])).toEqual([
      [40, 'DLS.1029', 1],
      [80, 'DLS.1029', 2],
    ]);
  });

  it('respects Retry-After once the HTTP client has given up on a 429', async () => {
    // The client makes 4 attempts of its own (Retry-After 0 each); the fifth answer is the zip.
    answers = [1, 2, 3, 4].map(() => limitAnswer(429, { 'retry-after': '0' }));
    const { ctx, logs } = testContext();
    await fetchAll(new DataServiceConnector({ exportLimitBackoff: { waitsMs: [60_000], maxRetryAfterMs: 1000 } }), {}, ctx);
    expect(received).toHaveLength(5);
    expect(logs.filter((l) => String(l.msg).startsWith('DataService export limit')).map((l) => l.waitMs)).toEqual([250]);
  });

  it('gives up after its last wait with the vendor error', async () => {
    answers = [limitAnswer(400), limitAnswer(400), limitAnswer(400)];
    const error = await fetchAll(new DataServiceConnector({ exportLimitBackoff: { waitsMs: [10, 10], maxRetryAfterMs: 1000 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorCallError);
    expect((error as VendorCallError).toDetails()).toMatchObject({ code: 'HTTP_ERROR', status: 400, vendorCode: 'DLS.1029' });
    expect(received).toHaveLength(3);
  });

  it('stops waiting as soon as the run is cancelled', async () => {
    answers = [limitAnswer(400)];
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('cancelled')), 100);
    const startedAt = Date.now();
    const error = await fetchAll(new DataServiceConnector({ exportLimitBackoff: { waitsMs: [60_000], maxRetryAfterMs: 1000 } }), {}, testContext(abort.signal).ctx).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect((error as VendorCallError).code).toBe('ABORTED');
  });

  it('does not wait on other vendor errors', async () => {
    answers = [(res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error_code":"DLS.1001","error_msg":"Invalid parameter"}')];
    const error = await fetchAll(new DataServiceConnector({ exportLimitBackoff: { waitsMs: [10], maxRetryAfterMs: 1000 } })).catch((e: unknown) => e);
    expect((error as VendorCallError).toDetails()).toMatchObject({ status: 400, vendorCode: 'DLS.1001' });
    expect(received).toHaveLength(1);
  });
});
