import { stringify as stringifyYaml } from 'yaml';
import type { LiveDataApi, LiveDataField, RomaApp, SignatureKey } from './roma-model.js';

/** `format` of the export (confirmed: json, yaml, yml; default json). */
export const EXPORT_FORMATS = ['json', 'yaml', 'yml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type SwaggerDocument = Record<string, unknown>;

export interface SwaggerContext {
  appOf(appId: string): RomaApp | undefined;
  signatureOf(signatureId: string): SignatureKey | undefined;
}

/** The `Authorization` header scheme of a signature key (confirmed layout, secret in clear). */
export function signatureScheme(signature: SignatureKey): Record<string, unknown> {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-livedata-auth-type': 'SIGNATURE',
    'x-livedata-signature': { key: signature.key, secret: signature.secret },
  };
}

function properties(fields: readonly LiveDataField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.name, { type: field.type, description: field.description }]));
}

function operation(api: LiveDataApi, context: SwaggerContext): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = api.parameters.map((p) => ({
    name: p.name,
    in: p.in,
    required: p.required,
    type: p.type,
    description: p.description,
    ...(p.default === undefined ? {} : { default: p.default }),
  }));
  if (api.requestBody) {
    parameters.push({ name: 'body', in: 'body', required: true, schema: { type: 'object', properties: properties(api.requestBody) } });
  }
  const signature = api.signatureId === null ? undefined : context.signatureOf(api.signatureId);
  const op: Record<string, unknown> = { operationId: api.name };
  if (api.description !== '') op.description = api.description;
  if (api.requestBody) op.consumes = ['application/json'];
  op.produces = ['application/json'];
  op.parameters = parameters;
  op.responses = { '200': { description: 'OK', schema: { type: 'object', properties: properties(api.responseFields) } } };
  if (signature) op.security = [{ [signature.name]: [] }];
  op['x-livedata-version'] = api.version;
  op['x-livedata-status'] = api.status;
  op['x-livedata-roma-app'] = context.appOf(api.appId)?.name ?? api.appId;
  op['x-livedata-scripts'] = api.scripts.map((script) => ({
    type: script.type,
    content: Buffer.from(script.content, 'utf8').toString('base64'),
    result: script.result,
    datasources: [...script.datasources],
  }));
  return op;
}

/**
 * The Swagger 2.0 document of an export: one path item per path, one operation per backend, the
 * `x-livedata-*` extensions (confirmed names and places), and one security scheme per signature
 * key that a backend uses. Our decisions where the vendor documents nothing: `operationId` is the
 * backend's name, `x-livedata-roma-app` the application's name (an import into another instance
 * binds by name), `info.version` the export time (as APIG's export does by default).
 */
export function liveDataSwagger(apis: readonly LiveDataApi[], context: SwaggerContext, title: string, version: string): SwaggerDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemes = new Map<string, Record<string, unknown>>();
  for (const api of apis) {
    (paths[api.path] ??= {})[api.method.toLowerCase()] = operation(api, context);
    const signature = api.signatureId === null ? undefined : context.signatureOf(api.signatureId);
    if (signature) schemes.set(signature.name, signatureScheme(signature));
  }
  const document: SwaggerDocument = { swagger: '2.0', info: { title, version }, schemes: ['https'], paths };
  if (schemes.size > 0) document.securityDefinitions = Object.fromEntries([...schemes].sort(([a], [b]) => (a < b ? -1 : 1)));
  return document;
}

/** Stands for the export time in cached renderings; replaced at every call. */
export const EXPORT_TIME_PLACEHOLDER = '__SIM_ROMA_EXPORT_TIME__';

export function serializeSwagger(document: SwaggerDocument, format: ExportFormat): string {
  if (format === 'json') return JSON.stringify(document, null, 2);
  // lineWidth 0: base64 scripts stay on one line, as a YAML reader expects them.
  return stringifyYaml(document, { lineWidth: 0 });
}

/**
 * Puts the export time where the placeholder is. In YAML the time is quoted: a YAML 1.1 reader
 * would otherwise read an ISO date-time as a timestamp, and `info.version` must be a string.
 */
export function stampExportTime(text: string, format: ExportFormat, exportTime: Date): string {
  const time = exportTime.toISOString();
  return text.replace(EXPORT_TIME_PLACEHOLDER, format === 'json' ? time : JSON.stringify(time));
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json;charset=UTF-8',
  yaml: 'application/x-yaml;charset=UTF-8',
  yml: 'application/x-yaml;charset=UTF-8',
};
