import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SecretRedactor, type JsonObject } from '#catalog-model';
import type { ArchivedArtifact, ConnectorContext } from '../../connector.js';
import type { TempFiles } from '../../test/zip-fixtures.js';

/** A hand-written APIG export: what the vendor writes for a few APIs, Swagger 2.0. */
export function swagger2Export(overrides: { paths?: JsonObject; extra?: JsonObject } = {}): JsonObject {
  return {
    swagger: '2.0',
    info: { title: 'orders_api', description: 'Public APIs of the shop', version: '2025-05-04 03:02:01' },
    host: 'api.example-shop.com',
    paths: overrides.paths ?? {
      '/v1/orders/{order_id}': {
        get: {
          operationId: 'get_order',
          description: 'Reads an order',
          tags: ['v1', 'public'],
          schemes: ['https', 'http'],
          security: [{ 'apig-auth-app': [] }],
          parameters: [
            { name: 'order_id', in: 'path', required: true, type: 'string', description: 'Order id', 'x-apigateway-pass-through': 'always' },
            { name: 'verbose', in: 'query', required: false, type: 'boolean', default: false, 'x-apigateway-pass-through': 'never' },
          ],
          responses: { default: { description: 'default response', 'x-apigateway-result-normal-sample': '{"order":{}}', 'x-apigateway-result-failure-sample': '{"error":1}' } },
          'x-apigateway-request-type': 'public',
          'x-apigateway-match-mode': 'NORMAL',
          'x-apigateway-cors': false,
          'x-apigateway-is-send-fg-body-base64': true,
          'x-apigateway-backend': {
            type: 'HTTP',
            parameters: [
              { name: 'order_id', value: 'order_id', in: 'path', origin: 'REQUEST', description: '' },
              { name: 'X-Backend-Token', value: 'SIMSECRET-planted-0001', in: 'header', origin: 'CONSTANT', description: 'Shared secret' },
              { name: 'X-Invoke-User', value: 'apigateway', in: 'header', origin: 'CONSTANT' },
            ],
            httpEndpoints: { address: '10.0.1.12:8080', scheme: 'http', method: 'GET', path: '/backend/orders/{order_id}', timeout: 5000, retryCount: '-1', description: '', enableClientSsl: false, enableSmChannel: false },
          },
          'x-apigateway-ratelimit': 'throttle_partner',
          'x-apigateway-access-control': 'acl_office_ip',
        },
        'x-apigateway-any-method': {
          operationId: 'API_1a2b3c4d',
          security: [{ auth_token_check: [] }],
          responses: {},
          'x-apigateway-request-type': 'private',
          'x-apigateway-match-mode': 'SWA',
          'x-apigateway-cors': true,
          'x-apigateway-is-send-fg-body-base64': false,
          'x-apigateway-backend': { type: 'FUNCTION', functionEndpoints: { 'function-urn': 'urn:fss:cn-north-4:p:function:default:fn', 'alias-urn': '', version: 'latest', 'invocation-type': 'sync', 'network-type': 'V2', req_protocol: 'HTTPS', timeout: 5000 } },
        },
      },
      '/v1/orders': {
        post: {
          operationId: 'create_order',
          schemes: ['https'],
          security: [{ 'apig-auth-iam': [] }],
          consumes: ['application/json'],
          parameters: [{ name: 'body', in: 'body', required: true, description: 'The order', schema: { $ref: '#/definitions/order_input' } }],
          responses: { default: { description: 'default response' } },
          'x-apigateway-request-type': 'public',
          'x-apigateway-match-mode': 'NORMAL',
          'x-apigateway-cors': false,
          'x-apigateway-is-send-fg-body-base64': true,
          'x-apigateway-backend': { type: 'HTTP-VPC', httpVpcEndpoints: { name: 'vpc_orders_1a2b', scheme: 'https', method: 'POST', path: '/backend/orders', timeout: 10000, retryCount: '3' } },
        },
        delete: {
          operationId: 'purge_orders',
          schemes: ['https'],
          responses: { default: { description: 'default response' } },
          'x-apigateway-backend': { type: 'MOCK', mockEndpoints: { 'result-content': '{"code":0}' } },
        },
        get: { operationId: 'list_orders', schemes: ['https'], responses: { default: { description: 'default response' } } },
      },
    },
    securityDefinitions: {
      'apig-auth-app': { type: 'apiKey', name: 'Authorization', in: 'header', 'x-apigateway-auth-type': 'AppSigv1' },
      'apig-auth-iam': { type: 'apiKey', name: 'unused', in: 'header', 'x-apigateway-auth-type': 'IAM' },
      auth_token_check: {
        type: 'apiKey',
        name: 'unused',
        in: 'header',
        'x-apigateway-authorizer': { type: 'FRONTEND', authorizer_type: 'FUNC', authorizer_uri: 'urn:fss:cn-north-4:p:function:default:token-check', ttl: 60, identities: [{ name: 'Authorization', location: 'HEADER', validation: '' }] },
      },
    },
    definitions: {
      order_input: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, lines: { type: 'array', items: { $ref: '#/definitions/order_line' } } } },
      order_line: { type: 'object', properties: { sku: { type: 'string' }, parent: { $ref: '#/definitions/order_line' } } },
      unused: { type: 'string' },
    },
    'x-apigateway-ratelimits': { throttle_partner: { 'api-limit': 600, interval: 1, unit: 'MINUTE', shared: true } },
    'x-apigateway-access-controls': { acl_office_ip: { 'acl-type': 'PERMIT', 'entity-type': 'IP', value: '10.0.0.0/8' } },
    ...overrides.extra,
  };
}

export interface TestContext {
  ctx: ConnectorContext;
  warnings: Array<Record<string, unknown>>;
  expected: Map<string, number>;
  failed: Map<string, unknown>;
}

export function testContext(credential: ConnectorContext['credential'] = null): TestContext {
  const warnings: Array<Record<string, unknown>> = [];
  const expected = new Map<string, number>();
  const failed = new Map<string, unknown>();
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      warnings.push(JSON.parse(line.toString()) as Record<string, unknown>);
      done();
    },
  });
  const ctx: ConnectorContext = {
    logger: pino({ level: 'warn' }, sink),
    signal: new AbortController().signal,
    credential,
    redactor: new SecretRedactor(Buffer.alloc(32, 9)),
    progress: () => undefined,
    expect: (scope, count) => void expected.set(scope, (expected.get(scope) ?? 0) + count),
    partFailed: (scope, error) => void failed.set(scope, error),
  };
  return { ctx, warnings, expected, failed };
}

/** An archived artifact holding `content`, as the run engine hands it to parse. */
export async function archivedExport(temp: TempFiles, content: string | Buffer, meta?: ArchivedArtifact['meta'], name = 'orders_api_RELEASE_all.json'): Promise<ArchivedArtifact> {
  const bytes = Buffer.from(content);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    name,
    call: 'POST /v2/{project_id}/apigw/instances/{instance_id}/openapi/export',
    sha256,
    size: bytes.length,
    localPath: await temp.write(`${sha256.slice(0, 16)}-${name}`, bytes),
    meta,
  };
}
