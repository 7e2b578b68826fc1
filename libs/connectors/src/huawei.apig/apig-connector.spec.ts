import { stringify as stringifyYaml } from 'yaml';
import type { CatalogEntry, JsonObject } from '#catalog-model';
import { ArtifactFormatError, ConfigError } from '../errors.js';
import { defaultConnectorRegistry } from '../registry.js';
import { TempFiles } from '../test/zip-fixtures.js';
import { APIG_KIND, ApigConnector } from './apig-connector.js';
import type { ApigConfig } from './apig-config.js';
import { archivedExport, swagger2Export, testContext } from './test/apig-fixtures.js';

const connector = new ApigConnector();
const temp = new TempFiles();
afterAll(() => temp.cleanup());

const GROUP = '0123456789abcdef0123456789abcdef';

function config(overrides: Record<string, unknown> = {}): ApigConfig {
  return connector.validateConfig({ endpoint: 'https://apig.cn-north-4.myhuaweicloud.com', projectId: 'p0123', instanceId: 'i0123', ...overrides });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function byId(entries: CatalogEntry[]): Map<string, CatalogEntry> {
  return new Map(entries.map((e) => [e.externalId, e]));
}

const doc = (entry: CatalogEntry | undefined) => entry!.document as Record<string, any>;

describe('ApigConnector.validateConfig', () => {
  it('applies the defaults: OAS 3.0, JSON, every group', () => {
    expect(config({ endpoint: 'http://127.0.0.1:9090/' })).toEqual({
      endpoint: 'http://127.0.0.1:9090',
      projectId: 'p0123',
      instanceId: 'i0123',
      oasVersion: '3.0',
      format: 'json',
      timeoutMs: 120_000,
      maxExportBytes: 64 * 1024 * 1024,
    });
  });

  it.each([
    [{ instanceId: undefined }, /instanceId/],
    [{ instanceId: 'a/b' }, /instanceId: must be a Huawei APIG instance id/],
    [{ groups: [] }, /groups: list at least one group id/],
    [{ groups: ['ok', 'not ok'] }, /groups\.1: /],
    [{ oasVersion: '3.1' }, /oasVersion/],
    [{ format: 'yml' }, /format/],
    [{ endpoint: 'ftp://x' }, /endpoint: must be an http\(s\) URL/],
    [{ group: ['typo'] }, /group/],
  ])('names the bad field in %j', (overrides, message) => {
    expect(() => config(overrides)).toThrow(ConfigError);
    expect(() => config(overrides)).toThrow(message);
  });

  it('is registered under huawei.apig', () => {
    expect(defaultConnectorRegistry().get(APIG_KIND)).toBeInstanceOf(ApigConnector);
  });
});

describe('ApigConnector.parse: one export read on its own', () => {
  it('maps every operation of a Swagger 2.0 export to the cross-cloud document', async () => {
    const artifact = await archivedExport(temp, JSON.stringify(swagger2Export()));
    const entries = byId(await collect(connector.parse(artifact, config(), testContext().ctx)));
    expect([...entries.keys()].sort()).toEqual([
      'name:orders_api ANY /v1/orders/{order_id}',
      'name:orders_api DELETE /v1/orders',
      'name:orders_api GET /v1/orders',
      'name:orders_api GET /v1/orders/{order_id}',
      'name:orders_api POST /v1/orders',
    ]);
    const get = entries.get('name:orders_api GET /v1/orders/{order_id}')!;
    expect(get).toMatchObject({ kind: 'api', name: 'get_order', scope: 'group:name:orders_api', origin: { artifactSha256: artifact.sha256, locator: '/paths/~1v1~1orders~1{order_id}/get' } });
    expect(doc(get)).toMatchObject({
      vendor: 'huawei',
      service: 'apig',
      name: 'get_order',
      method: 'GET',
      path: '/v1/orders/{order_id}',
      protocols: ['http', 'https'],
      description: 'Reads an order',
      tags: ['public', 'v1'],
      status: 'unknown',
      authType: 'app',
      group: 'orders_api',
      parameters: [
        { name: 'order_id', location: 'path', type: 'string', required: true, default: null, example: null, description: 'Order id' },
        { name: 'verbose', location: 'query', type: 'boolean', required: false, default: false, example: null, description: null },
      ],
      responseFields: [],
      backend: { type: 'http', address: 'http://10.0.1.12:8080', method: 'GET', path: '/backend/orders/{order_id}', timeoutMs: 5000, vpc: false },
      owner: null,
      createdAt: null,
      updatedAt: null,
    });
    const extras = doc(get).vendorExtras;
    expect(extras.extensions).toMatchObject({ 'x-apigateway-request-type': 'public', 'x-apigateway-match-mode': 'NORMAL', 'x-apigateway-cors': false, 'x-apigateway-is-send-fg-body-base64': true });
    expect(extras.extensions['x-apigateway-ratelimit']).toBeUndefined();
    expect(extras.parameterExtensions).toEqual({ 'path:order_id': { 'x-apigateway-pass-through': 'always' }, 'query:verbose': { 'x-apigateway-pass-through': 'never' } });
    expect(extras.security).toEqual([{ scheme: 'apig-auth-app', scopes: [], definition: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-apigateway-auth-type': 'AppSigv1' } }]);
    expect(extras.responses.default['x-apigateway-result-normal-sample']).toBe('{"order":{}}');
    // Read on its own, the export's environment is unknown: its bindings are kept with it.
    expect(extras.environments).toEqual([]);

    const any = doc(entries.get('name:orders_api ANY /v1/orders/{order_id}'));
    expect(any).toMatchObject({ name: 'API_1a2b3c4d', method: 'ANY', authType: 'custom', backend: { type: 'function', functionUrn: 'urn:fss:cn-north-4:p:function:default:fn', version: 'latest', invocation: 'sync', timeoutMs: 5000 } });
    expect(any.vendorExtras.security[0].definition['x-apigateway-authorizer']).toMatchObject({ authorizer_type: 'FUNC' });
    expect(any.vendorExtras.responses).toEqual({});

    const post = doc(entries.get('name:orders_api POST /v1/orders'));
    expect(post).toMatchObject({ authType: 'iam', protocols: ['https'], backend: { type: 'http', address: 'https://vpc_orders_1a2b', vpc: true, timeoutMs: 10000 } });
    expect(post.parameters).toEqual([{ name: 'body', location: 'body', type: 'object', required: true, default: null, example: null, description: 'The order' }]);
    expect(Object.keys(post.vendorExtras.schemas)).toEqual(['#/definitions/order_input', '#/definitions/order_line']);
    expect(post.vendorExtras.consumes).toEqual(['application/json']);

    expect(doc(entries.get('name:orders_api DELETE /v1/orders'))).toMatchObject({ authType: 'none', backend: { type: 'mock', status: null, body: '{"code":0}' } });
    // A republished spec may carry no backend: still an API.
    expect(doc(entries.get('name:orders_api GET /v1/orders')).backend).toBeNull();
  });

  it('reads the same API alike from OpenAPI 3.0 YAML', async () => {
    const v2 = swagger2Export();
    const operation = structuredClone((v2.paths as any)['/v1/orders/{order_id}'].get);
    delete operation.schemes;
    operation.parameters = [
      { name: 'order_id', in: 'path', required: true, description: 'Order id', schema: { type: 'string' }, 'x-apigateway-pass-through': 'always' },
      { name: 'verbose', in: 'query', required: false, schema: { type: 'boolean', default: false }, 'x-apigateway-pass-through': 'never' },
    ];
    const v3: JsonObject = {
      openapi: '3.0.3',
      info: v2.info,
      servers: [{ url: '$APIG_GROUP_ENTRY_URL' }],
      paths: { '/v1/orders/{order_id}': { get: operation } },
      components: { securitySchemes: { 'apig-auth-app': (v2.securityDefinitions as any)['apig-auth-app'] } },
    };
    const [fromV2, fromV3] = await Promise.all([
      collect(connector.parse(await archivedExport(temp, JSON.stringify(v2)), config(), testContext().ctx)),
      collect(connector.parse(await archivedExport(temp, stringifyYaml(v3), undefined, 'orders.yaml'), config(), testContext().ctx)),
    ]);
    const a = doc(fromV2.find((e) => e.name === 'get_order'));
    const b = doc(fromV3.find((e) => e.name === 'get_order'));
    for (const field of ['name', 'method', 'path', 'authType', 'parameters', 'backend', 'description', 'tags', 'group']) expect(b[field]).toEqual(a[field]);
    // The placeholder server says nothing of the protocol.
    expect(b.protocols).toEqual([]);
  });

  it('redacts a CONSTANT backend parameter named like a credential, and only that one', async () => {
    const artifact = await archivedExport(temp, JSON.stringify(swagger2Export()));
    const entries = await collect(connector.parse(artifact, config(), testContext().ctx));
    expect(JSON.stringify(entries)).not.toContain('SIMSECRET-planted-0001');
    const get = entries.find((e) => e.name === 'get_order')!;
    expect(get.redactedPaths).toEqual(['/vendorExtras/extensions/x-apigateway-backend/parameters/1/value']);
    const parameters = doc(get).vendorExtras.extensions['x-apigateway-backend'].parameters;
    expect(parameters[1].value).toEqual({ $redacted: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) });
    expect(parameters[2].value).toBe('apigateway');
  });

  it('gives the same document for the same export whatever the export time', async () => {
    const a = swagger2Export();
    const b = swagger2Export({ extra: { info: { ...(a.info as JsonObject), version: '2030-01-01 00:00:00' } } });
    const [x, y] = await Promise.all([a, b].map(async (d) => collect(connector.parse(await archivedExport(temp, JSON.stringify(d)), config(), testContext().ctx))));
    expect(x.map((e) => e.document)).toEqual(y.map((e) => e.document));
  });
});

describe('ApigConnector.parse: refusing what is unsafe or not an export', () => {
  async function parseError(content: string | Buffer, overrides: Record<string, unknown> = {}): Promise<ArtifactFormatError> {
    const artifact = await archivedExport(temp, content, undefined, 'bad.json');
    const error = await collect(connector.parse(artifact, config(overrides), testContext().ctx)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArtifactFormatError);
    return error as ArtifactFormatError;
  }

  it('refuses an export above the size limit before reading it', async () => {
    expect((await parseError(JSON.stringify(swagger2Export()), { maxExportBytes: 100 })).code).toBe('EXPORT_TOO_LARGE');
  });

  it('refuses a YAML alias bomb', async () => {
    const bomb = ['swagger: "2.0"', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]'];
    for (let i = 0; i < 12; i++) bomb.push(`d${i}: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]`);
    const error = await parseError(bomb.join('\n'));
    expect(error.code).toBe('BAD_OPENAPI_YAML');
    expect(error.message).toContain('RESOURCE_EXHAUSTION');
  });

  it('never quotes the content of a broken export (it may hold a backend secret)', async () => {
    const text = JSON.stringify(swagger2Export());
    const error = await parseError(text.slice(0, text.indexOf('SIMSECRET') + 20));
    expect(error.code).toBe('BAD_OPENAPI_JSON');
    expect(error.message).not.toContain('SIMSECRET');
    const yamlError = await parseError(`swagger: "2.0"\nsecret: SIMSECRET-in-yaml\n  bad: [indent`);
    expect(yamlError.message).not.toContain('SIMSECRET');
  });

  it.each([
    ['[1,2]', 'NOT_OPENAPI'],
    ['{"openapi":"4.0.0","info":{"title":"x","version":"1"},"paths":{}}', 'NOT_OPENAPI'],
    ['{"swagger":"2.0","info":{"title":"x","version":1},"paths":{}}', 'NOT_OPENAPI'],
    [Buffer.from([0xff, 0xfe, 0x00]), 'NOT_UTF8'],
  ])('refuses %s', async (content, code) => {
    expect((await parseError(content)).code).toBe(code);
  });

  it('keeps references as references: a document whose refs multiply stays small, external refs are not fetched', async () => {
    const definitions: JsonObject = { d0: { type: 'string' } };
    for (let i = 1; i <= 40; i++) definitions[`d${i}`] = { type: 'object', properties: { a: { $ref: `#/definitions/d${i - 1}` }, b: { $ref: `#/definitions/d${i - 1}` } } };
    const exported = swagger2Export({
      paths: {
        '/bomb': {
          post: {
            operationId: 'bomb',
            parameters: [
              { name: 'body', in: 'body', schema: { $ref: '#/definitions/d40' } },
              { name: 'remote', in: 'query', type: 'string', 'x-remote': { $ref: 'http://127.0.0.1:9/never-fetched.json' } },
            ],
            responses: { '200': { description: 'ok', schema: { $ref: 'http://127.0.0.1:9/never.json' } } },
          },
        },
      },
      extra: { definitions },
    });
    const started = Date.now();
    const [entry] = await collect(connector.parse(await archivedExport(temp, JSON.stringify(exported)), config(), testContext().ctx));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Object.keys(doc(entry).vendorExtras.schemas)).toHaveLength(41);
    expect(JSON.stringify(entry.document).length).toBeLessThan(20_000);
  });
});

describe('ApigConnector.parse: the exports of one group in a run', () => {
  const testEnv = { id: 'ffee00112233445566778899aabbccdd', name: 'TEST' };
  const release = { id: 'DEFAULT_ENVIRONMENT_RELEASE_ID', name: 'RELEASE' };

  function part(define: 'all' | 'dev', env: { id: string; name: string }, index: number) {
    return { groupId: GROUP, groupName: 'orders_api', envId: env.id, envName: env.name, define, part: index, parts: 3 };
  }

  /** RELEASE has get_order (throttled) and create_order; TEST has an older get_order; dev has a draft. */
  function groupExports() {
    const base = swagger2Export();
    const paths = base.paths as any;
    const releaseDoc = swagger2Export({ paths: { '/v1/orders/{order_id}': { get: paths['/v1/orders/{order_id}'].get }, '/v1/orders': { post: paths['/v1/orders'].post } } });
    const older = structuredClone(paths['/v1/orders/{order_id}'].get);
    older.description = 'Reads an order (v0)';
    delete older['x-apigateway-ratelimit'];
    const testDoc = swagger2Export({ paths: { '/v1/orders/{order_id}': { get: older } } });
    const devDoc = swagger2Export({ paths: { '/v1/drafts': { get: { operationId: 'draft', responses: {} } } } });
    return { releaseDoc, testDoc, devDoc };
  }

  it('yields nothing until every export of the group is in, then one entry per API', async () => {
    const { releaseDoc, testDoc, devDoc } = groupExports();
    const { ctx } = testContext();
    const first = await collect(connector.parse(await archivedExport(temp, JSON.stringify(testDoc), part('all', testEnv, 0)), config(), ctx));
    const second = await collect(connector.parse(await archivedExport(temp, JSON.stringify(releaseDoc), part('all', release, 1)), config(), ctx));
    expect([first, second]).toEqual([[], []]);
    const devArtifact = await archivedExport(temp, JSON.stringify(devDoc), part('dev', release, 2));
    const entries = byId(await collect(connector.parse(devArtifact, config(), ctx)));

    expect([...entries.keys()]).toEqual([`${GROUP} GET /v1/drafts`, `${GROUP} GET /v1/orders/{order_id}`, `${GROUP} POST /v1/orders`]);
    expect([...entries.values()].every((e) => e.scope === `group:${GROUP}`)).toBe(true);

    const get = doc(entries.get(`${GROUP} GET /v1/orders/{order_id}`));
    expect(get.status).toBe('published');
    // RELEASE sorts first: its definition is the document; TEST's differs, so it is kept there.
    expect(get.description).toBe('Reads an order');
    expect(get.vendorExtras.environments).toEqual([
      {
        id: release.id,
        name: 'RELEASE',
        ratelimit: { name: 'throttle_partner', policy: { 'api-limit': 600, interval: 1, unit: 'MINUTE', shared: true } },
        accessControl: { name: 'acl_office_ip', policy: { 'acl-type': 'PERMIT', 'entity-type': 'IP', value: '10.0.0.0/8' } },
      },
      { id: testEnv.id, name: 'TEST', ratelimit: null, accessControl: { name: 'acl_office_ip', policy: expect.any(Object) }, definition: expect.objectContaining({ description: 'Reads an order (v0)' }) },
    ]);
    expect(JSON.stringify(get)).not.toContain('SIMSECRET');

    const post = doc(entries.get(`${GROUP} POST /v1/orders`));
    expect(post.status).toBe('published');
    expect(post.vendorExtras.environments.map((e: any) => [e.name, 'definition' in e])).toEqual([['RELEASE', false]]);

    const draft = entries.get(`${GROUP} GET /v1/drafts`)!;
    expect(doc(draft)).toMatchObject({ status: 'unpublished', vendorExtras: { environments: [] } });
    expect(draft.origin.artifactSha256).toBe(devArtifact.sha256);
  });

  it('gives the same documents whatever order the exports come in', async () => {
    const { releaseDoc, testDoc, devDoc } = groupExports();
    const run = async (order: number[]) => {
      const { ctx } = testContext();
      const artifacts = [
        await archivedExport(temp, JSON.stringify(testDoc), part('all', testEnv, 0)),
        await archivedExport(temp, JSON.stringify(releaseDoc), part('all', release, 1)),
        await archivedExport(temp, JSON.stringify(devDoc), part('dev', release, 2)),
      ];
      const out: CatalogEntry[] = [];
      for (const i of order) out.push(...(await collect(connector.parse(artifacts[i], config(), ctx))));
      return out.map((e) => e.document);
    };
    expect(await run([2, 0, 1])).toEqual(await run([0, 1, 2]));
  });

  it('never completes a group one of whose exports is missing (failed to fetch or to parse)', async () => {
    const { releaseDoc, devDoc } = groupExports();
    const { ctx } = testContext();
    await collect(connector.parse(await archivedExport(temp, '{"broken":', part('all', testEnv, 0)), config(), ctx)).catch(() => undefined);
    expect(await collect(connector.parse(await archivedExport(temp, JSON.stringify(releaseDoc), part('all', release, 1)), config(), ctx))).toEqual([]);
    expect(await collect(connector.parse(await archivedExport(temp, JSON.stringify(devDoc), part('dev', release, 2)), config(), ctx))).toEqual([]);
  });

  it('keeps the runs apart', async () => {
    const { releaseDoc, testDoc, devDoc } = groupExports();
    const one = testContext().ctx;
    const two = testContext().ctx;
    await collect(connector.parse(await archivedExport(temp, JSON.stringify(testDoc), part('all', testEnv, 0)), config(), one));
    await collect(connector.parse(await archivedExport(temp, JSON.stringify(releaseDoc), part('all', release, 1)), config(), two));
    expect(await collect(connector.parse(await archivedExport(temp, JSON.stringify(devDoc), part('dev', release, 2)), config(), one))).toEqual([]);
  });
});
