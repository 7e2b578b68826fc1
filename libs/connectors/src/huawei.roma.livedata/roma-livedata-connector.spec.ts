import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { stringify as stringifyYaml } from 'yaml';
import { contentHash, SecretRedactor, type ApiDocument, type CatalogEntry } from '#catalog-model';
import type { ArchivedArtifact, ConnectorContext } from '../connector.js';
import { ArtifactFormatError, ConfigError } from '../errors.js';
import { defaultConnectorRegistry } from '../registry.js';
import { TempFiles } from '../test/zip-fixtures.js';
import { decodeScript } from './livedata-api-document.js';
import { ROMA_LIVEDATA_KIND, RomaLiveDataConnector } from './roma-livedata-connector.js';
import type { RomaLiveDataConfig } from './roma-livedata-config.js';

const connector = new RomaLiveDataConnector();
const temp = new TempFiles();
afterAll(() => temp.cleanup());

const SECRET = 'Pl4nted-Signature-Secret-0001';
const SIGNATURE_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const FUNCTION_SCRIPT = '// 查询订单\nfunction execute(data) {\n  return { resultCode: 0 };\n}\n';
const SQL_SCRIPT = 'SELECT id, name FROM t_orders WHERE id = ${id}';

/** A livedata export written by hand (not by vendor-sim), with the shapes a parser must survive. */
function exportDocument(version = '2026-03-01T08:00:00.000Z'): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'app_orders', version },
    schemes: ['HTTPS', 'http'],
    parameters: { tenant: { name: 'X-Tenant-Id', in: 'header', type: 'string', required: false, description: 'Tenant' } },
    definitions: { Order: { type: 'object', properties: { name: { type: 'string' }, amount: { type: 'number' } } } },
    paths: {
      '/orders/{id}': {
        parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'Order id' }],
        get: {
          operationId: 'get_order',
          description: '按编号查询订单',
          tags: ['orders', 'orders', 'v1'],
          parameters: [{ $ref: '#/parameters/tenant' }, { name: 'fields', in: 'query', type: 'string', required: false, default: 'all', 'x-example': 'id,name' }],
          responses: { '200': { description: 'OK', schema: { type: 'object', properties: { name: { type: 'string', description: 'Name' }, id: { type: 'integer' } } } } },
          security: [{ sig_orders: [] }],
          'x-livedata-version': '1.0.3',
          'x-livedata-status': 'TESTED',
          'x-livedata-roma-app': 'app_orders',
          'x-livedata-scripts': [
            { type: 'SQL', content: b64(SQL_SCRIPT), result: 'order', datasources: ['mysql_orders_prod'] },
            { type: 'SQL', content: b64('SELECT region FROM t_region'), result: 'region', datasources: ['dws_orders_dw'] },
          ],
        },
        put: {
          operationId: 'put_order',
          parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Order' } }],
          responses: { '200': { description: 'OK' } },
          'x-livedata-version': '1.0.0',
          'x-livedata-status': 'DEPLOYED',
          'x-livedata-scripts': [{ type: 'function', content: b64(FUNCTION_SCRIPT), result: '', datasources: [] }],
        },
      },
      '/broken': {
        post: { operationId: 'broken_script', responses: {}, 'x-livedata-scripts': [{ type: 'SP', content: '%%% not base64 %%%' }] },
      },
    },
    securityDefinitions: {
      sig_orders: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-livedata-auth-type': 'SIGNATURE',
        'x-livedata-signature': { key: SIGNATURE_KEY, secret: SECRET },
      },
    },
  };
}

function testContext(): ConnectorContext {
  return {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    credential: { type: 'huawei-token', token: 'unused' },
    redactor: new SecretRedactor(Buffer.alloc(32, 9)),
    progress: () => undefined,
    expect: () => undefined,
    partFailed: () => undefined,
  };
}

function config(overrides: Record<string, unknown> = {}): RomaLiveDataConfig {
  return connector.validateConfig({ endpoint: 'https://roma.cn-north-4.myhuaweicloud.com', projectId: 'p0123', instanceId: 'f0fa1789-3b76-433b', ...overrides });
}

async function artifactOf(text: string, meta: ArchivedArtifact['meta'] = { appId: 'app-1', appName: 'app_orders' }): Promise<ArchivedArtifact> {
  const sha256 = createHash('sha256').update(text).digest('hex');
  return { name: 'livedata-apis.json', call: 'POST export', sha256, size: Buffer.byteLength(text), localPath: await temp.write(`${sha256}.txt`, text), scope: 'app:app-1', meta };
}

async function parse(text: string, overrides: Record<string, unknown> = {}): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  for await (const entry of connector.parse(await artifactOf(text), config(overrides), testContext())) entries.push(entry);
  return entries;
}

describe('RomaLiveDataConnector.validateConfig', () => {
  it('applies defaults', () => {
    expect(config({ endpoint: 'http://127.0.0.1:9090/', apps: ['a', 'b'] })).toEqual({
      endpoint: 'http://127.0.0.1:9090',
      projectId: 'p0123',
      instanceId: 'f0fa1789-3b76-433b',
      apps: ['a', 'b'],
      format: 'json',
      timeoutMs: 120_000,
    });
  });

  it.each([
    [{ instanceId: 'a/b' }, /instanceId: must be a ROMA Connect instance id/],
    [{ apps: [] }, /apps: list at least one application id/],
    [{ apps: ['a', 'a'] }, /apps: an application id is listed twice/],
    [{ format: 'xml' }, /format: /],
    [{ limits: { maxExportBytes: 0 } }, /limits\.maxExportBytes: /],
    [{ workspace: 'x' }, /workspace/],
  ])('names the bad field in %j', (overrides, message) => {
    expect(() => config(overrides)).toThrow(ConfigError);
    expect(() => config(overrides)).toThrow(message);
  });

  it('is registered under its kind', () => {
    expect(defaultConnectorRegistry().get(ROMA_LIVEDATA_KIND)).toBeInstanceOf(RomaLiveDataConnector);
  });
});

describe('RomaLiveDataConnector.parse', () => {
  it('maps every operation to an ApiDocument keyed by method and path, scripts decoded', async () => {
    const entries = await parse(JSON.stringify(exportDocument()));
    expect(entries.map((e) => [e.kind, e.externalId, e.name, e.scope, e.origin.locator])).toEqual([
      ['api', 'GET /orders/{id}', 'get_order', 'app:app-1', '#/paths/~1orders~1{id}/get'],
      ['api', 'PUT /orders/{id}', 'put_order', 'app:app-1', '#/paths/~1orders~1{id}/put'],
      ['api', 'POST /broken', 'broken_script', 'app:app-1', '#/paths/~1broken/post'],
    ]);
    const [get, put, broken] = entries.map((e) => e.document as unknown as ApiDocument);
    expect(get).toMatchObject({
      vendor: 'huawei',
      service: 'roma.livedata',
      method: 'GET',
      path: '/orders/{id}',
      protocols: ['http', 'https'],
      description: '按编号查询订单',
      tags: ['orders', 'v1'],
      status: 'developing',
      authType: 'signature',
      group: 'app_orders',
      backend: { type: 'script', language: 'sql', script: SQL_SCRIPT, datasources: ['dws_orders_dw', 'mysql_orders_prod'] },
      owner: null,
      createdAt: null,
      updatedAt: null,
    });
    expect(get.parameters).toEqual([
      { name: 'X-Tenant-Id', location: 'header', type: 'string', required: false, default: null, example: null, description: 'Tenant' },
      { name: 'id', location: 'path', type: 'integer', required: true, default: null, example: null, description: 'Order id' },
      { name: 'fields', location: 'query', type: 'string', required: false, default: 'all', example: 'id,name', description: null },
    ]);
    expect(get.responseFields).toEqual([
      { name: 'id', type: 'integer', description: null, example: null },
      { name: 'name', type: 'string', description: 'Name', example: null },
    ]);
    expect(get.vendorExtras).toMatchObject({
      'x-livedata-version': '1.0.3',
      'x-livedata-status': 'TESTED',
      'x-livedata-scripts': [
        { type: 'SQL', content: SQL_SCRIPT, result: 'order', datasources: ['mysql_orders_prod'] },
        { type: 'SQL', content: 'SELECT region FROM t_region', result: 'region', datasources: ['dws_orders_dw'] },
      ],
      security: [{ sig_orders: [] }],
    });
    expect(get.vendorExtras).not.toHaveProperty('x-livedata-roma-app');

    expect(put).toMatchObject({ status: 'deployed', authType: 'none', group: 'app_orders', backend: { language: 'javascript', script: FUNCTION_SCRIPT, datasources: [] } });
    expect(put.parameters).toContainEqual(expect.objectContaining({ name: 'body', location: 'body', type: 'object', required: true }));
    expect(put.vendorExtras.bodySchema).toEqual({ type: 'object', properties: { name: { type: 'string' }, amount: { type: 'number' } } });

    expect(broken).toMatchObject({ status: 'unknown', backend: { type: 'script', language: 'sql', script: null } });
    expect(broken.vendorExtras['x-livedata-scripts']).toEqual([{ type: 'SP', content: null, contentBase64: '%%% not base64 %%%' }]);
  });

  it('redacts the signature key and secret, and still sees a rotated secret as a change', async () => {
    const [entry] = await parse(JSON.stringify(exportDocument()));
    const text = JSON.stringify(entry);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SIGNATURE_KEY);
    expect(entry.redactedPaths.sort()).toEqual([
      '/vendorExtras/securityDefinitions/sig_orders/x-livedata-signature/key',
      '/vendorExtras/securityDefinitions/sig_orders/x-livedata-signature/secret',
    ]);
    const rotated = exportDocument() as any;
    rotated.securityDefinitions.sig_orders['x-livedata-signature'].secret = 'Pl4nted-Signature-Secret-0002';
    const [after] = await parse(JSON.stringify(rotated));
    expect(contentHash(after.document)).not.toBe(contentHash(entry.document));
  });

  it('gives the same documents for JSON and YAML, and ignores the export time', async () => {
    const json = await parse(JSON.stringify(exportDocument()));
    const yaml = await parse(stringifyYaml(exportDocument('2027-01-01T00:00:00.000Z')));
    expect(yaml.map((e) => contentHash(e.document))).toEqual(json.map((e) => contentHash(e.document)));
  });

  it('refuses the export when a secret would escape redaction', async () => {
    const doc = exportDocument() as any;
    doc.paths['/orders/{id}'].get.summary = `signed with ${SECRET}`;
    const error = await parse(JSON.stringify(doc)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactFormatError);
    expect(error).toMatchObject({ code: 'SECRET_NOT_REDACTED' });
    expect((error as Error).message).not.toContain(SECRET);
  });

  it.each([
    ['OpenAPI 3', JSON.stringify({ openapi: '3.0.3', info: {}, paths: {} }), 'NOT_SWAGGER_2', /OpenAPI 3\.0\.3/],
    ['bad JSON quoting a secret', `{"swagger":"2.0","paths":{"secret":"${SECRET}",}}`, 'BAD_JSON', /not valid JSON/],
    ['bad YAML quoting a secret', `swagger: "2.0"\npaths:\n  secret: ${SECRET}\n   bad: [`, 'BAD_YAML', /not valid YAML \(\w+ at line \d+/],
    ['duplicate YAML keys', 'swagger: "2.0"\npaths: {}\npaths: {}\n', 'BAD_YAML', /DUPLICATE_KEY/],
    ['a YAML alias bomb', `swagger: "2.0"\na: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\npaths: {}\n`, 'BAD_YAML', /not valid YAML/],
    ['no paths', JSON.stringify({ swagger: '2.0' }), 'NOT_SWAGGER_2', /no "paths"/],
  ])('refuses %s, quoting no content', async (_, text, code, message) => {
    const error = await parse(text, { limits: { maxYamlAliases: 5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactFormatError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('refuses an export over limits.maxExportBytes before reading it', async () => {
    const text = JSON.stringify(exportDocument());
    await expect(parse(text, { limits: { maxExportBytes: 100 } })).rejects.toMatchObject({ code: 'EXPORT_TOO_LARGE' });
  });

  it('decodes base64 scripts strictly', () => {
    expect(decodeScript(b64('中文 script'))).toBe('中文 script');
    expect(decodeScript(`${b64('a long script').slice(0, 8)}\n${b64('a long script').slice(8)}`)).toBe('a long script');
    expect(decodeScript('not base64!')).toBeNull();
    expect(decodeScript(Buffer.from([0xff, 0xfe, 0x00]).toString('base64'))).toBeNull();
    expect(decodeScript(42)).toBeNull();
  });
});
