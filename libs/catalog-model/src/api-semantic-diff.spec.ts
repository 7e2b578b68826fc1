import type { ApiDocument, ApiParameter } from './api-document.js';
import { renderSemanticChanges, semanticApiDiff } from './api-semantic-diff.js';
import type { JsonObject } from './json.js';

function param(name: string, extra: Partial<ApiParameter> = {}): ApiParameter {
  return { name, location: 'query', type: 'string', required: false, default: null, example: null, description: null, ...extra };
}

function api(extra: Partial<ApiDocument> = {}): ApiDocument & JsonObject {
  return {
    vendor: 'huawei',
    service: 'apig',
    name: 'getOrders',
    method: 'GET',
    path: '/orders',
    protocols: ['https'],
    description: null,
    tags: [],
    status: 'published',
    authType: 'app',
    group: 'g1',
    parameters: [param('limit', { type: 'integer' }), param('id', { location: 'path', required: true })],
    responseFields: [],
    backend: { type: 'http', address: 'backend:80', method: 'GET', path: '/o', timeoutMs: 5000, vpc: false },
    owner: null,
    createdAt: null,
    updatedAt: null,
    vendorExtras: {},
    ...extra,
  } as ApiDocument & JsonObject;
}

const kinds = (before: ApiDocument & JsonObject | null, after: ApiDocument & JsonObject | null) =>
  semanticApiDiff(before, after).map((c) => [c.change, c.subject, c.breaking]);

describe('semanticApiDiff', () => {
  it('is empty for the same API', () => {
    expect(semanticApiDiff(api(), api())).toEqual([]);
  });

  it('classifies an added API as not breaking and a removed one as breaking', () => {
    expect(kinds(null, api())).toEqual([['api-added', null, false]]);
    expect(kinds(api(), null)).toEqual([['api-removed', null, true]]);
  });

  it('flags method and path changes as breaking', () => {
    expect(kinds(api(), api({ method: 'POST' }))).toEqual([['method-changed', null, true]]);
    expect(kinds(api(), api({ path: '/v2/orders' }))).toEqual([['path-changed', null, true]]);
  });

  it('classifies parameter changes', () => {
    const base = api();
    expect(kinds(base, api({ parameters: [param('id', { location: 'path', required: true })] }))).toEqual([['parameter-removed', 'query:limit', true]]);
    expect(kinds(base, api({ parameters: [...base.parameters, param('q')] }))).toEqual([['optional-parameter-added', 'query:q', false]]);
    expect(kinds(base, api({ parameters: [...base.parameters, param('tenant', { location: 'header', required: true })] }))).toEqual([
      ['required-parameter-added', 'header:tenant', true],
    ]);
    expect(kinds(base, api({ parameters: [param('limit', { type: 'integer', required: true }), base.parameters[1]!] }))).toEqual([
      ['parameter-required', 'query:limit', true],
    ]);
  });

  it('treats a narrowed type as breaking and a widened one as not', () => {
    const withType = (type: string) => api({ parameters: [param('limit', { type })] });
    expect(kinds(withType('string'), withType('integer'))).toEqual([['type-narrowed', 'query:limit', true]]);
    expect(kinds(withType('integer'), withType('long'))).toEqual([['type-widened', 'query:limit', false]]);
    expect(kinds(withType('integer'), withType('object'))).toEqual([['type-narrowed', 'query:limit', true]]);
  });

  it('reports backend, auth and status changes with their weight', () => {
    expect(kinds(api(), api({ backend: { type: 'mock', status: 200, body: '{}' } }))).toEqual([['backend-changed', null, false]]);
    expect(kinds(api(), api({ authType: 'iam' }))).toEqual([['auth-changed', null, true]]);
    expect(kinds(api(), api({ status: 'offline' }))).toEqual([['status-changed', null, true]]);
    expect(kinds(api({ status: 'developing' }), api({ status: 'published' }))).toEqual([['status-changed', null, false]]);
  });

  it('renders a readable text form with breaking changes marked', () => {
    const text = renderSemanticChanges(semanticApiDiff(api(), api({ method: 'POST', description: 'x' })));
    expect(text).toBe('[BREAKING] method changed from GET to POST');
  });
});
