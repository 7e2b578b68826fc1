import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { startVendorSim, type VendorSim } from '../vendor-sim.js';
import { RELEASE_ENV_ID, type ApigApi } from './apig-model.js';
import { apigExportRouteOf } from './apig-routes.js';
import { apigCall, apigUrl, exportApis, importApis, jsonOf } from './test/apig-client.js';

const EXPORT_TIME = new Date('2025-05-04T03:02:01.000Z');

let sim: VendorSim;
let clock = EXPORT_TIME;

beforeAll(async () => {
  sim = await startVendorSim({ port: 0, seed: 11, clock: () => clock, admin: true });
});

afterAll(async () => {
  await sim?.close();
});

afterEach(() => {
  sim.faults.clear();
  clock = EXPORT_TIME;
});

type Doc = Record<string, any>;

async function exportedDoc(body: Record<string, unknown>, oasVersion?: string): Promise<Doc> {
  const response = await exportApis(sim, body, { oasVersion });
  expect(response.status).toBe(200);
  const text = await response.text();
  return (body.type === 'yaml' || body.type === 'yml' ? parseYaml(text) : JSON.parse(text)) as Doc;
}

/** Every operation of an exported document, as `METHOD path` -> operation. */
function operationsOf(doc: Doc): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const [path, item] of Object.entries<Doc>(doc.paths)) {
    for (const [key, operation] of Object.entries<Doc>(item)) {
      const method = key === 'x-apigateway-any-method' ? 'ANY' : key.toUpperCase();
      out.set(`${method} ${path}`, operation);
    }
  }
  return out;
}

const keyOf = (api: ApigApi) => `${api.method} ${api.path}`;
const testEnvId = () => sim.apig.listEnvs().find((e) => e.name === 'TEST')!.id;

describe('APIG listings', () => {
  it('pages the API groups with {total, size, groups}', async () => {
    const all = sim.apig.listGroups();
    const first = await apigCall(sim, apigUrl(sim, '/api-groups?limit=2'));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const page1 = await jsonOf(first);
    expect(page1).toMatchObject({ total: all.length, size: 2 });
    expect(page1.groups.map((g: Doc) => g.id)).toEqual(all.slice(0, 2).map((g) => g.id));
    expect(page1.groups[0]).toMatchObject({ name: all[0].name, status: 1, sl_domain: all[0].slDomain, register_time: expect.stringMatching(/Z$/) });
    const page2 = await jsonOf(await apigCall(sim, apigUrl(sim, '/api-groups?limit=2&offset=2')));
    expect(page2).toMatchObject({ total: all.length, size: all.length - 2 });
    expect(page2.groups.map((g: Doc) => g.id)).toEqual(all.slice(2).map((g) => g.id));
  });

  it('follows the vendor limit rules: <=0 means 20, >500 means 500, a negative offset means 0', async () => {
    const zero = await jsonOf(await apigCall(sim, apigUrl(sim, '/api-groups?limit=0&offset=-5')));
    expect(zero.size).toBe(sim.apig.listGroups().length);
    const huge = await jsonOf(await apigCall(sim, apigUrl(sim, '/envs?limit=9999')));
    expect(huge).toMatchObject({ total: 2, size: 2 });
    expect(huge.envs.map((e: Doc) => e.id)).toEqual([RELEASE_ENV_ID, testEnvId()]);
    expect(huge.envs[0]).toEqual({ id: RELEASE_ENV_ID, name: 'RELEASE', create_time: expect.any(String), remark: expect.any(String) });
  });

  it('refuses a limit that is not an integer', async () => {
    const response = await apigCall(sim, apigUrl(sim, '/api-groups?limit=ten'));
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error_code: 'APIG.2011', error_msg: expect.stringContaining('parameterName:limit') });
  });

  it('lists the APIs of a group, and those published in an environment', async () => {
    const group = sim.apig.listGroups()[0];
    const all = await jsonOf(await apigCall(sim, apigUrl(sim, `/apis?group_id=${group.id}&limit=500`)));
    expect(all.total).toBe(sim.apig.listApis({ groupId: group.id }).length);
    const inTest = await jsonOf(await apigCall(sim, apigUrl(sim, `/apis?group_id=${group.id}&env_id=${testEnvId()}&limit=1`)));
    expect(inTest.total).toBe(sim.apig.listApis({ groupId: group.id, envId: testEnvId() }).length);
    expect(inTest.size).toBe(Math.min(1, inTest.total));
    if (inTest.size > 0) expect(inTest.apis[0]).toMatchObject({ group_id: group.id, run_env_id: testEnvId(), run_env_name: 'TEST' });
  });

  it('answers 404 APIG.3030 for an unknown instance', async () => {
    const response = await apigCall(sim, apigUrl(sim, '/api-groups', { instanceId: 'ffffffffffffffffffffffffffffffff' }));
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error_code: 'APIG.3030', error_msg: 'The instance does not exist;id:ffffffffffffffffffffffffffffffff' });
  });
});

describe('APIG export: errors', () => {
  const group = () => sim.apig.listGroups()[0];

  it.each(['env_id', 'group_id'])('answers 400 APIG.2001 naming the missing %s', async (name) => {
    const body: Record<string, string> = { env_id: RELEASE_ENV_ID, group_id: group().id };
    delete body[name];
    const response = await exportApis(sim, body);
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      error_code: 'APIG.2001',
      error_msg: `The request parameters must be specified,parameterName:${name}. Please refer to the support documentation`,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('answers 404 APIG.3001 for an unknown group, 404 APIG.3003 for an unknown environment', async () => {
    const noGroup = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: 'c77f5e81d9cb4424bf704ef2b0ac7600' });
    expect(noGroup.status).toBe(404);
    expect(await jsonOf(noGroup)).toMatchObject({ error_code: 'APIG.3001', error_msg: 'API group c77f5e81d9cb4424bf704ef2b0ac7600 does not exist' });
    const noEnv = await exportApis(sim, { env_id: 'nope', group_id: group().id });
    expect(noEnv.status).toBe(404);
    expect(await jsonOf(noEnv)).toMatchObject({ error_code: 'APIG.3003' });
  });

  it.each([
    [{ define: 'everything' }, undefined, 'define'],
    [{ type: 'xml' }, undefined, 'type'],
    [{ apis: 'one' }, undefined, 'apis'],
    [{}, '3.1', 'oas_version'],
  ])('answers 400 APIG.2011 for an invalid value (%j, oas %s)', async (extra, oasVersion, name) => {
    const response = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: group().id, ...extra }, { oasVersion });
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error_code: 'APIG.2011', error_msg: expect.stringContaining(`parameterName:${name}`) });
  });

  it('answers 404 APIG.3030 for an unknown instance', async () => {
    const response = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: group().id }, { instanceId: '0123' });
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error_code: 'APIG.3030' });
  });
});

describe('APIG export: content', () => {
  it('sends a file named after the group, environment and define, stamped with the export time', async () => {
    const group = sim.apig.listGroups()[0];
    const response = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: group.id, define: 'all' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${group.name}_RELEASE_all.json"; filename*=UTF-8''${encodeURIComponent(`${group.name}_RELEASE_all.json`)}`,
    );
    const doc = JSON.parse(await response.text());
    expect(doc.swagger).toBe('2.0');
    expect(doc.info).toMatchObject({ title: group.name, version: '2025-05-04 03:02:01' });
    expect(doc.host).toBe(group.urlDomains[0] ?? group.slDomain);
  });

  it('differs between two exports of an unchanged estate only in info.version', async () => {
    const group = sim.apig.listGroups()[1];
    const request = { env_id: RELEASE_ENV_ID, group_id: group.id, define: 'all' };
    const before = await exportedDoc(request);
    clock = new Date('2026-01-01T00:00:00Z');
    const after = await exportedDoc(request);
    expect(after.info.version).toBe('2026-01-01 00:00:00');
    expect({ ...after, info: { ...after.info, version: 'x' } }).toEqual({ ...before, info: { ...before.info, version: 'x' } });
    expect((await exportedDoc({ ...request, version: 'v7' })).info.version).toBe('v7');
  });

  it('holds in each define exactly the APIs and the details it should', async () => {
    for (const group of sim.apig.listGroups()) {
      const published = sim.apig.listApis({ groupId: group.id, envId: RELEASE_ENV_ID });
      const unpublished = sim.apig.listApis({ groupId: group.id }).filter((a) => !sim.apig.isPublished(a.id));
      const request = { env_id: RELEASE_ENV_ID, group_id: group.id };

      const spec = await exportedDoc(request); // define defaults to spec
      expect([...operationsOf(spec).keys()].sort()).toEqual(published.map(keyOf).sort());
      for (const operation of operationsOf(spec).values()) {
        expect(Object.keys(operation).filter((k) => /backend|ratelimit|access-control/.test(k))).toEqual([]);
        expect(operation).toMatchObject({ 'x-apigateway-request-type': expect.any(String), 'x-apigateway-match-mode': expect.any(String) });
      }

      const proxy = operationsOf(await exportedDoc({ ...request, define: 'proxy' }));
      for (const api of published) {
        const operation = proxy.get(keyOf(api))!;
        expect(operation.operationId).toBe(api.name);
        if (api.backend) expect(operation['x-apigateway-backend'].type).toBe(api.backend.type);
        else expect(operation['x-apigateway-backend']).toBeUndefined();
        expect(operation['x-apigateway-ratelimit']).toBeUndefined();
      }

      const allDoc = await exportedDoc({ ...request, define: 'all' });
      const all = operationsOf(allDoc);
      for (const api of published) {
        const publication = sim.apig.publication(api.id, RELEASE_ENV_ID)!;
        const operation = all.get(keyOf(api))!;
        expect(operation['x-apigateway-ratelimit']).toBe(publication.throttle);
        expect(operation['x-apigateway-access-control']).toBe(publication.acl);
        if (publication.throttle) expect(allDoc['x-apigateway-ratelimits'][publication.throttle]).toMatchObject({ 'api-limit': expect.any(Number), unit: expect.any(String) });
        if (publication.acl) expect(allDoc['x-apigateway-access-controls'][publication.acl]).toMatchObject({ 'acl-type': expect.any(String) });
        if (api.authType === 'AUTHORIZER') {
          const [scheme] = Object.keys(operation.security[0]);
          expect(allDoc.securityDefinitions[scheme]['x-apigateway-authorizer']).toMatchObject({ authorizer_type: 'FUNC', identities: expect.any(Array) });
        }
      }

      const dev = operationsOf(await exportedDoc({ ...request, define: 'dev' }));
      expect([...dev.keys()].sort()).toEqual(unpublished.map(keyOf).sort());
      for (const api of unpublished) {
        if (api.backend) expect(dev.get(keyOf(api))!['x-apigateway-backend']).toBeDefined();
        expect(dev.get(keyOf(api))!['x-apigateway-ratelimit']).toBeUndefined();
      }
    }
  });

  it('exports an API published in two environments from each of them, with the policies bound there', async () => {
    const both = sim.apig.listApis().filter((a) => sim.apig.publicationsOf(a.id).length === 2);
    expect(both.length).toBeGreaterThan(0);
    for (const api of both) {
      for (const env of [RELEASE_ENV_ID, testEnvId()]) {
        const operation = operationsOf(await exportedDoc({ env_id: env, group_id: api.groupId, define: 'all' })).get(keyOf(api));
        expect(operation).toBeDefined();
        expect(operation!['x-apigateway-ratelimit']).toBe(sim.apig.publication(api.id, env)!.throttle);
      }
    }
  });

  it('renders the confirmed shapes: any-method, backends, auth schemes, samples', async () => {
    const docs = await Promise.all(sim.apig.listGroups().flatMap((g) => [RELEASE_ENV_ID, testEnvId()].map((env) => exportedDoc({ env_id: env, group_id: g.id, define: 'all' }))));
    const operations = docs.flatMap((d) => [...operationsOf(d).entries()]);
    const backends = operations.map(([, o]) => o['x-apigateway-backend']).filter(Boolean);
    const http = backends.find((b) => b.type === 'HTTP');
    if (http) expect(http.httpEndpoints).toEqual({ address: expect.any(String), scheme: expect.stringMatching(/^https?$/), method: expect.any(String), path: expect.any(String), timeout: expect.any(Number), retryCount: expect.any(String), description: '', enableClientSsl: false, enableSmChannel: false });
    const fn = backends.find((b) => b.type === 'FUNCTION');
    if (fn) expect(Object.keys(fn.functionEndpoints).sort()).toEqual(['alias-urn', 'function-urn', 'invocation-type', 'network-type', 'req_protocol', 'timeout', 'version']);
    const schemes = Object.assign({}, ...docs.map((d) => d.securityDefinitions ?? {}));
    if (schemes['apig-auth-app']) expect(schemes['apig-auth-app']).toEqual({ type: 'apiKey', name: 'Authorization', in: 'header', 'x-apigateway-auth-type': 'AppSigv1' });
    if (schemes['apig-auth-iam']) expect(schemes['apig-auth-iam']).toEqual({ type: 'apiKey', name: 'unused', in: 'header', 'x-apigateway-auth-type': 'IAM' });
    const withSamples = operations.find(([, o]) => o.responses.default?.['x-apigateway-result-normal-sample']);
    expect(withSamples).toBeDefined();
    for (const [key, operation] of operations) {
      expect(typeof operation['x-apigateway-cors']).toBe('boolean');
      expect(typeof operation['x-apigateway-is-send-fg-body-base64']).toBe('boolean');
      if (key.startsWith('ANY ')) expect(operation.operationId).toBeDefined();
    }
  });

  it('selects APIs by id with apis[]', async () => {
    const group = sim.apig.listGroups()[0];
    const published = sim.apig.listApis({ groupId: group.id, envId: RELEASE_ENV_ID });
    const chosen = published.slice(0, 1);
    const doc = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: group.id, apis: chosen.map((a) => a.id) });
    expect([...operationsOf(doc).keys()]).toEqual(chosen.map(keyOf));
  });

  it('writes the same document as YAML for type yaml and yml', async () => {
    const group = sim.apig.listGroups()[0];
    const request = { env_id: RELEASE_ENV_ID, group_id: group.id, define: 'all' };
    const json = await exportedDoc(request, '3.0');
    const yamlResponse = await exportApis(sim, { ...request, type: 'yaml' }, { oasVersion: '3.0' });
    expect(yamlResponse.headers.get('content-disposition')).toContain('_RELEASE_all.yaml');
    const yamlText = await yamlResponse.text();
    expect(yamlText.startsWith('openapi: 3.0.3\n')).toBe(true);
    expect(parseYaml(yamlText)).toEqual(json);
    expect(await exportedDoc({ ...request, type: 'yml' }, '3.0')).toEqual(json);
  });

  it('writes OpenAPI 3.0.3 with components, and the entry URL placeholder for some groups', async () => {
    const placeholderGroup = sim.apig.listGroups().find((g) => g.entryUrlPlaceholder)!;
    const plain = sim.apig.listGroups().find((g) => !g.entryUrlPlaceholder)!;
    const a = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: placeholderGroup.id, define: 'all' }, '3.0');
    const b = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: plain.id, define: 'all' }, '3.0');
    expect(a.openapi).toBe('3.0.3');
    expect(a.servers).toEqual([{ url: '$APIG_GROUP_ENTRY_URL' }]);
    expect(b.servers).toEqual([{ url: `https://${plain.urlDomains[0] ?? plain.slDomain}` }]);
    expect(a.securityDefinitions).toBeUndefined();
    for (const operation of operationsOf(b).values()) {
      for (const parameter of operation.parameters ?? []) expect(parameter.schema).toEqual(expect.objectContaining({ type: expect.any(String) }));
      if (operation.requestBody) expect(operation.requestBody.content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
    }
  });

  // swagger-parser compiles its schema on every validate (about 0.3 s): one environment is enough,
  // the other renders through the same code.
  it('produces documents valid under swagger-parser for every group, define and OAS version', async () => {
    const operations = new Map<string, number>();
    for (const group of sim.apig.listGroups()) {
      for (const define of ['spec', 'proxy', 'all', 'dev']) {
        for (const oas of ['2.0', '3.0']) {
          const doc = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: group.id, define }, oas);
          await expect(SwaggerParser.validate(doc as never)).resolves.toBeDefined();
          operations.set(`${define} ${oas}`, (operations.get(`${define} ${oas}`) ?? 0) + operationsOf(doc).size);
        }
      }
    }
    // Every define and version was validated on documents that hold APIs.
    expect(operations.size).toBe(8);
    for (const [combination, count] of operations) expect([combination, count > 0]).toEqual([combination, true]);
  });
});

describe('APIG export: faults', () => {
  it('hits one group only with a fault on apig.export.<group_id>, every group with apig.export', async () => {
    const [a, b] = sim.apig.listGroups();
    sim.faults.inject('http-500', { route: apigExportRouteOf(a.id), times: 2 });
    const failed = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: a.id });
    expect(failed.status).toBe(500);
    expect(await jsonOf(failed)).toMatchObject({ error_code: 'APIG.9999' });
    expect((await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: b.id })).status).toBe(200);
    expect((await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: a.id })).status).toBe(500);
    expect((await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: a.id })).status).toBe(200);

    sim.faults.inject('http-503', { route: 'apig.export' });
    const throttled = await exportApis(sim, { env_id: RELEASE_ENV_ID, group_id: b.id });
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('retry-after')).toBe('1');
  });

  it('serves an HTML page with status 200 on the listing route', async () => {
    sim.faults.inject('html-200', { route: 'apig.groups' });
    const response = await apigCall(sim, apigUrl(sim, '/api-groups'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('APIG import', () => {
  it('creates a group from an export, whose later dev export shows the imported APIs', async () => {
    const source = sim.apig.listGroups()[0];
    const exported = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: source.id, define: 'proxy' }, '3.0');
    exported.info.title = 'imported_copy';
    const response = await importApis(sim, JSON.stringify(exported), { is_create_group: 'true' });
    expect(response.status).toBe(200);
    const result = await jsonOf(response);
    const published = sim.apig.listApis({ groupId: source.id, envId: RELEASE_ENV_ID });
    expect(result).toEqual({
      group_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      success: expect.any(Array),
      failure: [],
      ignore: [],
    });
    expect(result.success.map((s: Doc) => `${s.method} ${s.path}`).sort()).toEqual(published.map(keyOf).sort());
    expect(result.success.every((s: Doc) => s.action === 'create')).toBe(true);

    const dev = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: result.group_id, define: 'dev' }, '3.0');
    const original = operationsOf(exported);
    const copy = operationsOf(dev);
    expect([...copy.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [key, operation] of original) expect(copy.get(key)).toEqual(operation);
  });

  it('refuses a second group of the same name', async () => {
    const source = sim.apig.listGroups()[0];
    const exported = await exportedDoc({ env_id: RELEASE_ENV_ID, group_id: source.id });
    const response = await importApis(sim, JSON.stringify(exported));
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error_code: 'APIG.3201' });
  });

  it('merges into an existing group: api_mode merge ignores what exists, override replaces it', async () => {
    const group = sim.apig.listGroups()[1];
    const existing = sim.apig.listApis({ groupId: group.id })[0];
    const yamlFile = [
      'swagger: "2.0"',
      'info: {title: whatever, version: "1"}',
      'paths:',
      `  "${existing.path}":`,
      `    ${existing.method === 'ANY' ? 'x-apigateway-any-method' : existing.method.toLowerCase()}:`,
      '      operationId: replaced_by_import',
      '      description: from the import',
      '      responses: {}',
      '  /imported/{item_id}:',
      '    get:',
      '      operationId: imported_item',
      '      parameters: [{name: item_id, in: path, required: true, type: string}]',
      '      x-apigateway-backend: {type: MOCK, mockEndpoints: {result-content: hello}}',
    ].join('\n');
    const merged = await jsonOf(await importApis(sim, yamlFile, { is_create_group: 'false', group_id: group.id }, 'apis.yaml'));
    expect(merged.group_id).toBe(group.id);
    expect(merged.ignore).toEqual([{ path: existing.path, method: existing.method }]);
    expect(merged.success).toEqual([{ path: '/imported/{item_id}', method: 'GET', action: 'create', id: expect.any(String) }]);
    expect(sim.apig.getApi(existing.id)!.name).toBe(existing.name);

    const overridden = await jsonOf(await importApis(sim, yamlFile, { is_create_group: 'false', group_id: group.id, api_mode: 'override' }, 'apis.yaml'));
    expect(overridden.success.map((s: Doc) => [s.method, s.path, s.action])).toEqual([
      [existing.method, existing.path, 'update'],
      ['GET', '/imported/{item_id}', 'update'],
    ]);
    const updated = sim.apig.getApi(existing.id)!;
    expect(updated).toMatchObject({ name: 'replaced_by_import', description: 'from the import', responses: { kind: 'empty' } });
    // extend_mode=merge (the default) keeps our backend when the file has none.
    expect(updated.backend).toEqual(existing.backend);

    // An API without responses exports as the vendor's `{}`: parseable, though not schema-valid.
    const env = sim.apig.publicationsOf(existing.id)[0]?.envId ?? RELEASE_ENV_ID;
    const define = sim.apig.isPublished(existing.id) ? 'all' : 'dev';
    const doc = await exportedDoc({ env_id: env, group_id: group.id, define });
    expect(operationsOf(doc).get(keyOf(existing))!.responses).toEqual({});
    await expect(SwaggerParser.parse(structuredClone(doc) as never)).resolves.toBeDefined();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).rejects.toThrow(/responses must NOT have fewer than 1 properties/);
  });

  it('answers 404 APIG.3001 for an unknown group, 400 for a missing file or a file that is not OpenAPI', async () => {
    const unknown = await importApis(sim, '{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{}}', { is_create_group: 'false', group_id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toMatchObject({ error_code: 'APIG.3001' });
    const notOpenApi = await importApis(sim, 'just: text', { is_create_group: 'true' }, 'x.yaml');
    expect(notOpenApi.status).toBe(400);
    expect(await jsonOf(notOpenApi)).toMatchObject({ error_code: 'APIG.2011', error_msg: expect.stringContaining('file_name') });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 120 }, (_, i) => `k${i}: [*a, *a]`), 'swagger: "2.0"'].join('\n');
    expect((await importApis(sim, bomb, {}, 'bomb.yaml')).status).toBe(400);
    const noFile = await apigCall(sim, apigUrl(sim, '/openapi/import'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(noFile.status).toBe(400);
    expect(await jsonOf(noFile)).toMatchObject({ error_code: 'APIG.2001', error_msg: expect.stringContaining('file_name') });
  });
});
