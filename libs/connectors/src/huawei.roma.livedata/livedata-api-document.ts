import {
  isJsonObject,
  sortParameters,
  type ApiBackend,
  type ApiDocument,
  type ApiParameter,
  type ApiResponseField,
  type ApiStatus,
  type JsonObject,
  type JsonValue,
  type ParameterLocation,
} from '#catalog-model';

/** Operation keys of a Swagger 2.0 path item. */
export const SWAGGER_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** One operation of the export, with what it needs from around it. */
export interface LiveDataOperation {
  method: string;
  path: string;
  operation: JsonObject;
  /** Parameters declared on the path item, for all its operations. */
  pathParameters: JsonValue[];
  /** The whole export, for `$ref`s, root `security`, `schemes` and `securityDefinitions`. */
  document: JsonObject;
  /** The application the export was asked for, when the operation does not name one. */
  appName: string | null;
}

/** `x-livedata-status` -> catalog status (docs/catalog-model/huawei.roma.livedata.md). */
const STATUS: Record<string, ApiStatus> = { DESIGNED: 'developing', DEVELOPED: 'developing', TESTED: 'developing', DEPLOYED: 'deployed' };

/** `x-livedata-scripts[].type` -> the language the script is written in. */
const SCRIPT_LANGUAGE: Record<string, string> = { function: 'javascript', sql: 'sql', sp: 'sql' };

const LOCATION: Record<string, ParameterLocation> = { query: 'query', header: 'header', path: 'path', body: 'body', formData: 'form', cookie: 'cookie' };

/** Operation fields that the model maps without loss; everything else goes to vendorExtras. */
const MAPPED_FIELDS = new Set(['operationId', 'description', 'tags', 'parameters', 'schemes', 'x-livedata-scripts']);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);
const strings = (value: JsonValue | undefined): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A local `$ref` (`#/parameters/x`, `#/definitions/y`), one level; anything else stays as it is. */
function resolved(value: JsonValue | undefined, document: JsonObject): JsonValue | undefined {
  if (!isJsonObject(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/')) return value;
  let target: JsonValue | undefined = document;
  for (const token of value.$ref.slice(2).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    target = isJsonObject(target) ? target[key] : undefined;
  }
  return target ?? value;
}

/** A script's text: the base64 of the export decoded, or null when it is not base64 of UTF-8 text. */
export function decodeScript(content: JsonValue | undefined): string | null {
  if (typeof content !== 'string') return null;
  const compact = content.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return null;
  try {
    return utf8.decode(Buffer.from(compact, 'base64'));
  } catch {
    return null;
  }
}

function parameterOf(raw: JsonValue, document: JsonObject): ApiParameter | null {
  const parameter = resolved(raw, document);
  if (!isJsonObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') return null;
  const schema = resolved(parameter.schema, document);
  const type = typeof parameter.type === 'string' ? parameter.type : isJsonObject(schema) && typeof schema.type === 'string' ? schema.type : null;
  return {
    name: parameter.name,
    location: LOCATION[parameter.in] ?? 'query',
    type: type?.toLowerCase() ?? (parameter.in === 'body' ? 'object' : null),
    required: parameter.required === true,
    default: parameter.default ?? null,
    example: parameter['x-example'] ?? parameter.example ?? (isJsonObject(schema) ? (schema.example ?? null) : null),
    description: text(parameter.description),
  };
}

/** Path-item parameters, overridden by the operation's own of the same name and location. */
function parametersOf(op: LiveDataOperation): { parameters: ApiParameter[]; bodySchema: JsonValue | undefined } {
  const byKey = new Map<string, ApiParameter>();
  let bodySchema: JsonValue | undefined;
  for (const raw of [...op.pathParameters, ...strictArray(op.operation.parameters)]) {
    const parameter = parameterOf(raw, op.document);
    if (!parameter) continue;
    byKey.set(`${parameter.location}\u0000${parameter.name}`, parameter);
    const declared = resolved(raw, op.document);
    if (parameter.location === 'body' && isJsonObject(declared)) bodySchema = declared.schema;
  }
  return { parameters: sortParameters([...byKey.values()]), bodySchema };
}

function strictArray(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/** Fields of the success answer's object schema, by name. */
function responseFieldsOf(op: LiveDataOperation): ApiResponseField[] {
  const responses = isJsonObject(op.operation.responses) ? op.operation.responses : {};
  const success = resolved(responses['200'] ?? responses['201'] ?? responses.default, op.document);
  const schema = isJsonObject(success) ? resolved(success.schema, op.document) : undefined;
  const properties = isJsonObject(schema) && isJsonObject(schema.properties) ? schema.properties : {};
  return Object.entries(properties)
    .map(([name, raw]) => {
      const property = resolved(raw, op.document);
      return {
        name,
        type: isJsonObject(property) && typeof property.type === 'string' ? property.type.toLowerCase() : null,
        description: isJsonObject(property) ? text(property.description) : null,
        example: isJsonObject(property) ? (property.example ?? null) : null,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The scripts, decoded; the content stays base64 (`contentBase64`) only when it does not decode. */
function scriptsOf(op: LiveDataOperation): JsonObject[] {
  return strictArray(op.operation['x-livedata-scripts']).map((raw) => {
    const script = isJsonObject(raw) ? raw : {};
    const { content, ...rest } = script;
    const decoded = decodeScript(content);
    return decoded === null ? { ...rest, content: null, contentBase64: content ?? null } : { ...rest, content: decoded };
  });
}

/** The backend of a custom backend API is its script: the first one (a data backend over several sources has one per source; all are in vendorExtras). */
function backendOf(scripts: JsonObject[]): ApiBackend | null {
  if (scripts.length === 0) return null;
  const [first] = scripts;
  const type = typeof first.type === 'string' ? first.type : null;
  return {
    type: 'script',
    language: type === null ? null : (SCRIPT_LANGUAGE[type.toLowerCase()] ?? type.toLowerCase()),
    script: typeof first.content === 'string' ? first.content : null,
    datasources: [...new Set(scripts.flatMap((s) => datasourceNames(s.datasources)))].sort(),
  };
}

/** Data sources are names (sim, console); an object form is tolerated, by name or id. */
function datasourceNames(value: JsonValue | undefined): string[] {
  return strictArray(value).flatMap((d) => {
    if (typeof d === 'string') return [d];
    if (isJsonObject(d)) return strings([d.name ?? d.ds_name ?? d.id ?? null]);
    return [];
  });
}

/** The security schemes the operation (or the export, by default) requires, by name. */
function requiredSchemes(op: LiveDataOperation): JsonObject {
  const requirements = op.operation.security ?? op.document.security;
  const definitions = isJsonObject(op.document.securityDefinitions) ? op.document.securityDefinitions : {};
  const schemes: JsonObject = {};
  for (const requirement of strictArray(requirements)) {
    if (!isJsonObject(requirement)) continue;
    for (const name of Object.keys(requirement)) schemes[name] = definitions[name] ?? null;
  }
  return schemes;
}

function authTypeOf(schemes: JsonObject): string {
  const first = Object.values(schemes)[0];
  if (first === undefined) return 'none';
  if (!isJsonObject(first)) return 'unknown';
  const type = first['x-livedata-auth-type'] ?? first.type;
  return typeof type === 'string' ? type.toLowerCase() : 'unknown';
}

function appNameOf(op: LiveDataOperation): string | null {
  const app = op.operation['x-livedata-roma-app'];
  if (typeof app === 'string' && app !== '') return app;
  if (isJsonObject(app)) return text(app.name) ?? text(app.id) ?? op.appName;
  return op.appName;
}

/**
 * One custom backend as the cross-cloud ApiDocument (mapping table:
 * docs/catalog-model/huawei.roma.livedata.md). Scripts are decoded; nothing is redacted yet: the
 * connector redacts the whole document before it leaves.
 */
export function liveDataApiDocument(op: LiveDataOperation): ApiDocument {
  const { operation } = op;
  const { parameters, bodySchema } = parametersOf(op);
  const scripts = scriptsOf(op);
  const schemes = requiredSchemes(op);
  const group = appNameOf(op);

  const vendorExtras: JsonObject = {};
  for (const [key, value] of Object.entries(operation)) {
    if (MAPPED_FIELDS.has(key)) continue;
    // The app's name is `group`; only another form of it (an object) is kept.
    if (key === 'x-livedata-roma-app' && typeof value === 'string') continue;
    vendorExtras[key] = value;
  }
  if (scripts.length > 0) vendorExtras['x-livedata-scripts'] = scripts;
  if (bodySchema !== undefined) vendorExtras.bodySchema = resolved(bodySchema, op.document) ?? null;
  // The schemes the API uses, signature key and secret included: the redactor hashes them, so
  // a rotated secret still shows as a change while the value never reaches the catalog.
  if (Object.keys(schemes).length > 0) vendorExtras.securityDefinitions = schemes;

  const schemesOf = strings(operation.schemes ?? op.document.schemes).map((s) => s.toLowerCase());
  return {
    vendor: 'huawei',
    service: 'roma.livedata',
    name: text(operation.operationId) ?? `${op.method} ${op.path}`,
    method: op.method,
    path: op.path,
    protocols: [...new Set(schemesOf)].sort(),
    description: text(operation.description),
    tags: [...new Set(strings(operation.tags))].sort(),
    status: STATUS[String(operation['x-livedata-status']).toUpperCase()] ?? 'unknown',
    authType: authTypeOf(schemes),
    group,
    parameters,
    responseFields: responseFieldsOf(op),
    backend: backendOf(scripts),
    owner: null,
    createdAt: null,
    updatedAt: null,
    vendorExtras,
  };
}

/**
 * The key and secret values of the SIGNATURE schemes an API document carries (before redaction),
 * to check that none survives redaction.
 */
export function signatureSecretsIn(api: ApiDocument): string[] {
  const schemes = api.vendorExtras.securityDefinitions;
  const secrets: string[] = [];
  for (const scheme of isJsonObject(schemes) ? Object.values(schemes) : []) {
    const signature = isJsonObject(scheme) ? scheme['x-livedata-signature'] : undefined;
    if (!isJsonObject(signature)) continue;
    for (const value of Object.values(signature)) if (typeof value === 'string' && value.length >= 8) secrets.push(value);
  }
  return secrets;
}
