import type { VendorSim } from '#vendor-sim';
import { SOURCES, type CorpusEntry } from './corpus-entry.js';
import { deeplyNestedJson, INVALID_UTF8, LOGIN_PAGE, streamedBody, yamlAliasBomb } from './hostile-bytes.js';

const roma = (route: string, entry: Omit<CorpusEntry, 'source' | 'route'>): CorpusEntry => ({ source: SOURCES.roma, route, ...entry });
const apig = (route: CorpusEntry['route'], entry: Omit<CorpusEntry, 'source' | 'route'>): CorpusEntry => ({ source: SOURCES.apig, route, ...entry });
/** The export of the first API group only: one part of the source fails, the others are backed up. */
const firstGroupExport = (sim: VendorSim) => `apig.export.${sim.apig.listGroups()[0]!.id}`;

/** The healthy JSON export with one operation given a deeply nested vendor extension. */
function withDeepExtension(healthy: Buffer): string {
  const text = healthy.toString('utf8');
  const paths = /"paths"\s*:\s*\{/.exec(text);
  if (!paths) throw new Error('corpus: the healthy export has no "paths" object to spoil');
  const end = paths.index + paths[0].length;
  const deep = `"/reliability/deep":{"get":{"operationId":"deep","responses":{"200":{"description":"ok"}},"x-deep":${deeplyNestedJson(100_000)}}},`;
  return text.slice(0, end) + deep + text.slice(end);
}

/** OpenAPI and Swagger exports (ROMA livedata, API Gateway) and the JSON listings around them. */
export const documentEntries: CorpusEntry[] = [
  roma('roma.export', {
    id: 'yaml-alias-bomb',
    checks: 'a YAML export with a billion-laughs alias bomb is refused at the alias limit, never expanded',
    replacement: { body: yamlAliasBomb(), headers: { 'Content-Type': 'application/x-yaml' } },
    codes: ['BAD_YAML'],
    says: /not valid YAML/,
  }),
  roma('roma.export', {
    id: 'swagger-deeply-nested-json',
    checks: 'a Swagger export with an operation nested 100,000 levels deep is refused, not a stack overflow',
    replacement: { body: withDeepExtension },
    codes: ['BAD_JSON'],
    says: /the export nests deeper than 256 levels/,
  }),
  roma('roma.export', {
    id: 'swagger-invalid-utf8',
    checks: 'an export that is not UTF-8 is refused',
    replacement: { body: () => Buffer.concat([Buffer.from('{"swagger":"2.0","info":{"title":"'), INVALID_UTF8, Buffer.from('"},"paths":{}}')]) },
    codes: ['NOT_UTF8'],
    says: /the export is not UTF-8 text/,
  }),
  roma('roma.export', {
    id: 'swagger-wrong-document',
    checks: 'an OpenAPI 3 document where a Swagger 2.0 livedata export is due is refused, not half-read',
    replacement: { body: '{"openapi":"3.0.1","info":{"title":"x","version":"1"},"paths":{}}' },
    codes: ['NOT_SWAGGER_2'],
    says: /a livedata export is Swagger 2\.0; this file has OpenAPI 3\.0\.1/,
  }),
  roma('roma.apps', {
    id: 'listing-wrong-content-type',
    checks: 'a JSON listing labelled text/html (a proxy rewrote it) is refused: the label is not ignored',
    replacement: { body: (healthy) => healthy, headers: { 'Content-Type': 'text/html' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with an HTML page instead of a JSON document/,
  }),
  roma('roma.apps', {
    id: 'listing-wrong-shape',
    checks: 'a listing whose fields have the wrong types ({"total":"many","apps":{}}) is refused, naming the field',
    replacement: { body: '{"total":"many","apps":{}}', headers: { 'Content-Type': 'application/json' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /does not have the documented shape \(total: /,
  }),
  apig(firstGroupExport, {
    id: 'openapi-deeply-nested-json',
    checks: 'an OpenAPI export with an operation nested 100,000 levels deep is refused, not a stack overflow',
    replacement: { body: withDeepExtension },
    // The export call reads what it fetched, and retries one that does not parse (a cut body
    // looks the same): the refusal comes as the call's UNEXPECTED_CONTENT, the reason in words.
    codes: ['UNEXPECTED_CONTENT'],
    says: /the export nests deeper than 256 levels/,
  }),
  apig(firstGroupExport, {
    id: 'export-too-large',
    checks: 'an export streamed past the 64 MiB limit (no Content-Length) is cut off at the limit, memory bounded',
    replacement: { body: streamedBody(80 * 1024 * 1024, '{"openapi":"3.0.1","x-padding":"', 'lol') },
    codes: ['RESPONSE_TOO_LARGE'],
    says: /over the 64 MiB limit/,
  }),
  apig('apig.groups', {
    id: 'listing-empty-body',
    checks: 'a listing answered 200 with an empty body is refused',
    replacement: { body: '' },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with an empty body instead of a JSON document/,
  }),
  apig('apig.envs', {
    id: 'listing-html-200',
    checks: 'a listing answered 200 with an HTML error page is refused, quoting its title',
    replacement: { body: LOGIN_PAGE, headers: { 'Content-Type': 'text/html' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with an HTML page instead of a JSON document: title: "Sign in - Corporate Proxy"/,
  }),
];
