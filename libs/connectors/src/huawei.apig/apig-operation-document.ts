import {
  isJsonObject,
  sortParameters,
  type ApiBackend,
  type ApiDocument,
  type ApiParameter,
  type ApiResponseField,
  type JsonObject,
  type JsonValue,
  type ParameterLocation,
} from '#catalog-model';
import { ArtifactFormatError } from '../errors.js';
import type { ApigExportFile } from './apig-export-file.js';

/**
 * One operation of one APIG export, normalized: the cross-cloud ApiDocument of what the export
 * says about the API (status left `unknown`: only the merge of a group's exports knows it), and
 * apart, the policies bound to it in the environment of that export.
 */
export interface ApigOccurrence {
  externalId: string;
  name: string;
  /** JSON pointer of the operation in the export. */
  locator: string;
  definition: ApiDocument;
  /** `x-apigateway-ratelimit` / `x-apigateway-access-control`, resolved: bound per environment. */
  bindings: { ratelimit: JsonObject | null; accessControl: JsonObject | null };
}

export interface ApigGroupRef {
  id: string;
  name: string | null;
}

/** Operation keys of a path item; `x-apigateway-any-method` is APIG's ANY. */
const METHOD_KEYS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  trace: 'TRACE',
  'x-apigateway-any-method': 'ANY',
};

/** Extensions that belong to the environment of the export, not to the API. */
const ENVIRONMENT_BOUND = new Set(['x-apigateway-ratelimit', 'x-apigateway-access-control']);

/** Operation fields the document maps; anything else the vendor writes goes to vendorExtras.operation. */
const MAPPED_FIELDS = new Set(['operationId', 'description', 'tags', 'schemes', 'servers', 'security', 'parameters', 'requestBody', 'responses', 'consumes', 'produces']);

/** A schema closure bigger than this for one API is an attack, not an API. */
const MAX_SCHEMA_NODES_PER_API = 50_000;

const LOCATIONS: Record<string, ParameterLocation> = { path: 'path', query: 'query', header: 'header', body: 'body', formData: 'form', cookie: 'cookie' };

export function apigExternalId(groupId: string, method: string, path: string): string {
  return `${groupId} ${method} ${path}`;
}

function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const object = (value: JsonValue | undefined): JsonObject => (isJsonObject(value) ? value : {});
const array = (value: JsonValue | undefined): JsonValue[] => (Array.isArray(value) ? value : []);
const textOrNull = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);
const numberOrNull = (value: JsonValue | undefined): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

class OperationReader {
  constructor(
    readonly file: ApigExportFile,
    private readonly artifact: string,
  ) {}

  /** A `$ref`'d object (parameter, schema...) resolved one level; anything else as is. */
  deref(value: JsonValue | undefined): JsonObject {
    const candidate = object(value);
    if (typeof candidate.$ref !== 'string') return candidate;
    return object(this.file.resolveRef(candidate.$ref));
  }

  /** Every internal schema the values reference, transitively, keyed by their `$ref`. */
  schemaClosure(values: JsonValue[]): JsonObject {
    const schemas: JsonObject = {};
    const pending: JsonValue[] = [...values];
    let nodes = 0;
    while (pending.length > 0) {
      const value = pending.pop()!;
      if (++nodes > MAX_SCHEMA_NODES_PER_API) {
        throw new ArtifactFormatError('SCHEMA_TOO_LARGE', `${this.artifact}: an API references more than ${MAX_SCHEMA_NODES_PER_API} schema nodes`, this.artifact);
      }
      if (Array.isArray(value)) pending.push(...value);
      else if (isJsonObject(value)) {
        const ref = value.$ref;
        if (typeof ref === 'string' && ref.startsWith('#/') && !(ref in schemas)) {
          const target = this.file.resolveRef(ref);
          schemas[ref] = target ?? null;
          if (target !== undefined) pending.push(target);
        }
        for (const [key, child] of Object.entries(value)) if (key !== '$ref') pending.push(child);
      }
    }
    return Object.fromEntries(Object.keys(schemas).sort().map((ref) => [ref, schemas[ref]]));
  }

  /** The scheme of a requirement, from securityDefinitions (2.0) or components.securitySchemes (3.x). */
  securityScheme(name: string): JsonObject | null {
    const schemes = this.file.oasVersion === '2.0' ? object(this.file.document.securityDefinitions) : object(object(this.file.document.components).securitySchemes);
    return isJsonObject(schemes[name]) ? schemes[name] : null;
  }
}

function schemaType(schema: JsonObject, reader: OperationReader): string | null {
  const resolved = reader.deref(schema);
  if (typeof resolved.type === 'string') return resolved.type.toLowerCase();
  if (typeof schema.$ref === 'string' || isJsonObject(resolved.properties)) return 'object';
  return null;
}

/** Path-item parameters, overridden by the operation's of the same name and location. */
function rawParameters(pathItem: JsonObject, operation: JsonObject, reader: OperationReader): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const raw of [...array(pathItem.parameters), ...array(operation.parameters)]) {
    const parameter = reader.deref(raw);
    byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
  }
  return [...byKey.values()];
}

function parameterOf(raw: JsonObject, reader: OperationReader): ApiParameter | null {
  const location = LOCATIONS[String(raw.in)];
  if (location === undefined || typeof raw.name !== 'string') return null;
  const schema = object(raw.schema);
  return {
    name: raw.name,
    location,
    type: typeof raw.type === 'string' ? raw.type.toLowerCase() : schemaType(schema, reader),
    required: raw.required === true,
    default: raw.default ?? schema.default ?? null,
    example: raw.example ?? raw['x-example'] ?? schema.example ?? null,
    description: textOrNull(raw.description),
  };
}

/** OpenAPI 3's requestBody as the `body` parameter that Swagger 2.0 would have had. */
function requestBodyParameter(requestBody: JsonObject, reader: OperationReader): ApiParameter {
  const content = object(requestBody.content);
  const media = object(content['application/json'] ?? Object.values(content)[0]);
  const schema = object(media.schema);
  return {
    name: 'body',
    location: 'body',
    type: schemaType(schema, reader),
    required: requestBody.required === true,
    default: null,
    example: media.example ?? schema.example ?? null,
    description: textOrNull(requestBody.description),
  };
}

function responseFieldsOf(responses: JsonObject, reader: OperationReader, oas2: boolean): ApiResponseField[] {
  const response = reader.deref(responses['200'] ?? responses['201'] ?? responses.default);
  const schema = oas2 ? reader.deref(response.schema) : reader.deref(object(object(response.content)['application/json'] ?? Object.values(object(response.content))[0]).schema);
  const properties = object(schema.properties);
  return Object.keys(properties)
    .sort()
    .map((name) => {
      const property = object(properties[name]);
      return { name, type: schemaType(property, reader), description: textOrNull(property.description), example: property.example ?? null };
    });
}

function joinedAddress(value: JsonValue | undefined): string | null {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',') || null;
  return textOrNull(value);
}

/** `x-apigateway-backend` in the cross-cloud shape; null when absent (a republished spec) or unknown. */
export function backendOf(raw: JsonValue | undefined): ApiBackend | null {
  if (!isJsonObject(raw)) return null;
  switch (raw.type) {
    case 'HTTP':
    case 'HTTP-VPC': {
      const vpc = raw.type === 'HTTP-VPC';
      const endpoint = object(vpc ? raw.httpVpcEndpoints : raw.httpEndpoints);
      const host = vpc ? textOrNull(endpoint.name) : joinedAddress(endpoint.address);
      const scheme = textOrNull(endpoint.scheme);
      return {
        type: 'http',
        address: host === null ? null : scheme ? `${scheme.toLowerCase()}://${host}` : host,
        method: textOrNull(endpoint.method)?.toUpperCase() ?? null,
        path: textOrNull(endpoint.path),
        timeoutMs: numberOrNull(endpoint.timeout),
        vpc,
      };
    }
    case 'FUNCTION': {
      const endpoint = object(raw.functionEndpoints);
      return {
        type: 'function',
        functionUrn: textOrNull(endpoint['function-urn']),
        version: textOrNull(endpoint.version) ?? textOrNull(endpoint['alias-urn']),
        invocation: textOrNull(endpoint['invocation-type']),
        timeoutMs: numberOrNull(endpoint.timeout),
      };
    }
    case 'MOCK': {
      const endpoint = object(raw.mockEndpoints);
      return { type: 'mock', status: numberOrNull(endpoint['status-code'] ?? endpoint.status_code), body: typeof endpoint['result-content'] === 'string' ? endpoint['result-content'] : null };
    }
    default:
      return null;
  }
}

/** app (AppSigv1, AppCode or not), iam, custom (a custom authorizer), or none. */
function authTypeOf(security: JsonObject[], reader: OperationReader): string {
  const schemeName = security.length > 0 ? Object.keys(security[0])[0] : undefined;
  if (schemeName === undefined) return 'none';
  const scheme = reader.securityScheme(schemeName);
  const declared = scheme?.['x-apigateway-auth-type'];
  if (declared === 'AppSigv1' || (declared === undefined && schemeName.startsWith('apig-auth-app'))) return 'app';
  if (declared === 'IAM' || (declared === undefined && schemeName === 'apig-auth-iam')) return 'iam';
  if (typeof declared === 'string' && declared !== '') return declared.toLowerCase();
  return 'custom';
}

function protocolsOf(operation: JsonObject, pathItem: JsonObject, file: ApigExportFile): string[] {
  const schemes =
    file.oasVersion === '2.0'
      ? array(operation.schemes ?? file.document.schemes).map((s) => String(s).toLowerCase())
      : array(operation.servers ?? pathItem.servers ?? file.document.servers).map((server) => /^([A-Za-z]+):\/\//.exec(String(object(server).url))?.[1]?.toLowerCase() ?? '');
  return [...new Set(schemes.filter((s) => s === 'http' || s === 'https'))].sort();
}

function bindingOf(name: JsonValue | undefined, catalog: JsonValue | undefined): JsonObject | null {
  if (typeof name !== 'string' || name === '') return null;
  const policy = object(catalog)[name];
  return { name, policy: isJsonObject(policy) ? policy : null };
}

function extensionsOf(value: JsonObject, skip: ReadonlySet<string> = new Set()): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([key]) => key.startsWith('x-') && !skip.has(key)));
}

function occurrenceOf(reader: OperationReader, group: ApigGroupRef, path: string, methodKey: string, pathItem: JsonObject): ApigOccurrence {
  const { file } = reader;
  const oas2 = file.oasVersion === '2.0';
  const method = METHOD_KEYS[methodKey];
  const operation = object(pathItem[methodKey]);
  const parametersRaw = rawParameters(pathItem, operation, reader);
  const bodyRaw = oas2 ? parametersRaw.find((p) => p.in === 'body') : undefined;
  const requestBody = oas2 ? (bodyRaw ?? null) : isJsonObject(operation.requestBody) ? reader.deref(operation.requestBody) : null;
  const parameters = parametersRaw.map((p) => parameterOf(p, reader)).filter((p): p is ApiParameter => p !== null);
  if (!oas2 && requestBody) parameters.push(requestBodyParameter(requestBody, reader));
  const security = array(operation.security ?? file.document.security).filter(isJsonObject);
  const responses = isJsonObject(operation.responses) ? operation.responses : null;

  const parameterExtensions: JsonObject = {};
  for (const raw of parametersRaw) {
    const extensions = extensionsOf(raw);
    if (Object.keys(extensions).length > 0) parameterExtensions[`${String(raw.in)}:${String(raw.name)}`] = extensions;
  }
  const other = Object.fromEntries(Object.entries(operation).filter(([key]) => !key.startsWith('x-') && !MAPPED_FIELDS.has(key)));

  const vendorExtras: JsonObject = {
    groupId: group.id,
    extensions: extensionsOf(operation, ENVIRONMENT_BOUND),
    security: security.map((requirement) => {
      const [scheme] = Object.keys(requirement);
      return { scheme: scheme ?? null, scopes: requirement[scheme] ?? [], definition: scheme === undefined ? null : reader.securityScheme(scheme) };
    }),
    parameterExtensions,
    requestBody,
    responses,
    schemas: reader.schemaClosure([...parametersRaw, requestBody, responses].filter((v): v is JsonObject => v !== null)),
  };
  if (operation.consumes !== undefined) vendorExtras.consumes = operation.consumes;
  if (operation.produces !== undefined) vendorExtras.produces = operation.produces;
  if (Object.keys(other).length > 0) vendorExtras.operation = other;

  const name = textOrNull(operation.operationId) ?? `${method} ${path}`;
  const definition: ApiDocument = {
    vendor: 'huawei',
    service: 'apig',
    name,
    method,
    path,
    protocols: protocolsOf(operation, pathItem, file),
    description: textOrNull(operation.description) ?? textOrNull(operation.summary),
    tags: [...new Set(array(operation.tags).filter((t): t is string => typeof t === 'string'))].sort(),
    status: 'unknown',
    authType: authTypeOf(security, reader),
    group: group.name,
    parameters: sortParameters(parameters),
    responseFields: responses ? responseFieldsOf(responses, reader, oas2) : [],
    backend: backendOf(operation['x-apigateway-backend']),
    owner: null,
    createdAt: null,
    updatedAt: null,
    vendorExtras,
  };
  return {
    externalId: apigExternalId(group.id, method, path),
    name,
    locator: `/paths/${pointerToken(path)}/${pointerToken(methodKey)}`,
    definition,
    bindings: {
      ratelimit: bindingOf(operation['x-apigateway-ratelimit'], file.document['x-apigateway-ratelimits']),
      accessControl: bindingOf(operation['x-apigateway-access-control'], file.document['x-apigateway-access-controls']),
    },
  };
}

/**
 * Every API of an export, in document order. The group's name defaults to `info.title`, which
 * APIG sets to it; an operation without operationId is named `METHOD path`.
 */
export function occurrencesOf(file: ApigExportFile, group: { id: string; name?: string | null }, artifact: string): ApigOccurrence[] {
  const reader = new OperationReader(file, artifact);
  const groupRef: ApigGroupRef = { id: group.id, name: group.name ?? textOrNull(object(file.document.info).title) };
  const occurrences: ApigOccurrence[] = [];
  for (const [path, item] of Object.entries(object(file.document.paths))) {
    const pathItem = reader.deref(item);
    for (const methodKey of Object.keys(pathItem)) {
      if (METHOD_KEYS[methodKey] === undefined || !isJsonObject(pathItem[methodKey])) continue;
      occurrences.push(occurrenceOf(reader, groupRef, path, methodKey, pathItem));
    }
  }
  return occurrences;
}
