import { isJsonObject, type JsonObject, type JsonValue } from '#catalog-model';
import {
  APIG_PARAMETER_TYPES,
  type ApigApi,
  type ApigAuthorizer,
  type ApigBackend,
  type ApigBackendParameter,
  type ApigBackendPolicy,
  type ApigMethod,
  type ApigParameterLocation,
  type ApigPolicyCondition,
  type ApigProtocol,
  type ApigRequestBody,
  type ApigRequestParameter,
  type ApigResponses,
} from './apig-model.js';

/**
 * Reads one operation of an imported OpenAPI file back into the simulator's API model: the
 * inverse of apig-openapi-export.ts, tolerant the way an import has to be (defaults for what a
 * file leaves out). Throws an ImportedOperationError for what APIG would refuse.
 */

export class ImportedOperationError extends Error {
  override readonly name = 'ImportedOperationError';
}

/** Everything of an API the file defines; ids, group and times are the importer's business. */
export type ApigApiDraft = Omit<ApigApi, 'id' | 'groupId' | 'registerTime' | 'updateTime' | 'authorizerId'> & {
  /** For AUTHORIZER: the scheme's name and its `x-apigateway-authorizer`, when the file has it. */
  authorizer?: { name: string; definition: JsonObject | null };
};

export interface DefinitionFile {
  oasVersion: '2.0' | '3.0';
  document: JsonObject;
}

const HTTP_METHODS: Record<string, ApigMethod> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-apigateway-any-method': 'ANY',
};

export function operationMethod(key: string): ApigMethod | undefined {
  return HTTP_METHODS[key];
}

const text = (value: JsonValue | undefined, fallback = ''): string => (typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value));
const numberOr = (value: JsonValue | undefined, fallback: number): number => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
};
const bool = (value: JsonValue | undefined, fallback: boolean): boolean => (typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : fallback);
const object = (value: JsonValue | undefined): JsonObject => (isJsonObject(value) ? value : {});
const array = (value: JsonValue | undefined): JsonValue[] => (Array.isArray(value) ? value : []);

function oneOf<T extends string>(value: JsonValue | undefined, allowed: readonly T[], fallback: T, what: string): T {
  if (value === undefined || value === null || value === '') return fallback;
  const upper = typeof value === 'string' ? value : String(value);
  const found = allowed.find((a) => a.toLowerCase() === upper.toLowerCase());
  if (!found) throw new ImportedOperationError(`invalid ${what}: ${upper}`);
  return found;
}

function location(value: JsonValue | undefined): ApigParameterLocation | null {
  const v = text(value).toLowerCase();
  return v === 'path' ? 'PATH' : v === 'query' ? 'QUERY' : v === 'header' ? 'HEADER' : null;
}

function requestParameter(raw: JsonObject): ApigRequestParameter | null {
  const where = location(raw.in);
  if (where === null) return null;
  const schema = object(raw.schema);
  const type = text(raw.type ?? schema.type, 'string').toUpperCase();
  const defaultValue = raw.default ?? schema.default;
  const orchestrations = array(raw['x-apigateway-orchestrations']).filter((o): o is string => typeof o === 'string');
  return {
    name: text(raw.name),
    location: where,
    type: (APIG_PARAMETER_TYPES as readonly string[]).includes(type) ? (type as ApigRequestParameter['type']) : 'STRING',
    required: where === 'PATH' ? true : bool(raw.required, false),
    ...(typeof defaultValue === 'string' || typeof defaultValue === 'number' || typeof defaultValue === 'boolean' ? { defaultValue } : {}),
    ...(typeof raw.description === 'string' && raw.description !== '' ? { description: raw.description } : {}),
    passThrough: text(raw['x-apigateway-pass-through'], 'always') !== 'never',
    ...(orchestrations.length > 0 ? { orchestrations } : {}),
  };
}

function backendParameters(value: JsonValue | undefined): ApigBackendParameter[] {
  return array(value)
    .filter(isJsonObject)
    .map((raw) => ({
      name: text(raw.name),
      value: text(raw.value),
      location: location(raw.in) ?? 'HEADER',
      origin: oneOf(raw.origin, ['REQUEST', 'CONSTANT', 'SYSTEM'] as const, 'REQUEST', 'backend parameter origin'),
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    }));
}

function httpTarget(endpoint: JsonObject) {
  return {
    scheme: oneOf(endpoint.scheme, ['http', 'https'] as const, 'https', 'backend scheme'),
    method: oneOf(endpoint.method, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'] as const, 'GET', 'backend method'),
    path: text(endpoint.path, '/'),
    timeout: numberOr(endpoint.timeout, 5000),
    retryCount: text(endpoint.retryCount, '-1'),
    description: text(endpoint.description),
    enableClientSsl: bool(endpoint.enableClientSsl, false),
    enableSmChannel: bool(endpoint.enableSmChannel, false),
  };
}

/** `x-apigateway-backend` (or one backend policy) to the backend model. */
export function readBackend(raw: JsonObject): ApigBackend {
  const type = oneOf(raw.type, ['HTTP', 'HTTP-VPC', 'FUNCTION', 'MOCK'] as const, 'HTTP', 'backend type');
  switch (type) {
    case 'HTTP': {
      const endpoint = object(raw.httpEndpoints);
      const address = Array.isArray(endpoint.address) ? endpoint.address.map((a) => text(a)).join(',') : text(endpoint.address);
      if (address === '') throw new ImportedOperationError('an HTTP backend needs httpEndpoints.address');
      return { type, address, ...httpTarget(endpoint) };
    }
    case 'HTTP-VPC': {
      const endpoint = object(raw.httpVpcEndpoints);
      if (text(endpoint.name) === '') throw new ImportedOperationError('an HTTP-VPC backend needs httpVpcEndpoints.name');
      return { type, vpcChannelName: text(endpoint.name), ...httpTarget(endpoint) };
    }
    case 'FUNCTION': {
      const endpoint = object(raw.functionEndpoints);
      if (text(endpoint['function-urn']) === '') throw new ImportedOperationError('a FUNCTION backend needs functionEndpoints.function-urn');
      return {
        type,
        functionUrn: text(endpoint['function-urn']),
        aliasUrn: text(endpoint['alias-urn']),
        version: text(endpoint.version, 'latest'),
        invocationType: oneOf(endpoint['invocation-type'], ['sync', 'async'] as const, 'sync', 'invocation-type'),
        networkType: oneOf(endpoint['network-type'], ['V1', 'V2'] as const, 'V1', 'network-type'),
        reqProtocol: oneOf(endpoint.req_protocol, ['HTTPS', 'GRPCS'] as const, 'HTTPS', 'req_protocol'),
        timeout: numberOr(endpoint.timeout, 5000),
      };
    }
    case 'MOCK':
      return { type, resultContent: text(object(raw.mockEndpoints)['result-content']) };
  }
}

function backendPolicies(value: JsonValue | undefined): ApigBackendPolicy[] {
  return array(value)
    .filter(isJsonObject)
    .map((raw) => ({
      name: text(raw.name),
      backend: readBackend(raw),
      parameters: backendParameters(raw.parameters),
      conditions: array(raw.conditions)
        .filter(isJsonObject)
        .map(
          (c): ApigPolicyCondition => ({
            type: oneOf(c.type, ['equal', 'enum', 'pattern'] as const, 'equal', 'condition type'),
            value: text(c.value),
            origin: oneOf(c.origin, ['source', 'request_parameter'] as const, 'request_parameter', 'condition origin'),
            ...(typeof c.parameter_name === 'string' ? { parameterName: c.parameter_name } : {}),
          }),
        ),
    }));
}

function responses(value: JsonValue | undefined): ApigResponses {
  const all = object(value);
  if (Object.keys(all).length === 0) return { kind: 'empty' };
  const chosen = object(all.default ?? Object.values(all)[0]);
  const normal = chosen['x-apigateway-result-normal-sample'];
  const failure = chosen['x-apigateway-result-failure-sample'];
  return {
    kind: 'default',
    ...(typeof normal === 'string' ? { normalSample: normal } : {}),
    ...(typeof failure === 'string' ? { failureSample: failure } : {}),
  };
}

/** The security scheme an operation names first, resolved against the file's schemes. */
function authOf(operation: JsonObject, file: DefinitionFile): Pick<ApigApiDraft, 'authType' | 'appCodeAuth' | 'authorizer'> {
  const requirement = array(operation.security).find(isJsonObject);
  const schemeName = requirement ? Object.keys(requirement)[0] : undefined;
  if (schemeName === undefined) return { authType: 'NONE' };
  const schemes = file.oasVersion === '3.0' ? object(object(file.document.components).securitySchemes) : object(file.document.securityDefinitions);
  const scheme = object(schemes[schemeName]);
  // The well-known scheme names mean what they say even when the file does not define them.
  const authType = text(scheme['x-apigateway-auth-type'], schemeName === 'apig-auth-iam' ? 'IAM' : schemeName.startsWith('apig-auth-app') ? 'AppSigv1' : '');
  if (authType === 'IAM') return { authType: 'IAM' };
  if (authType === 'AppSigv1') {
    const appCode = text(object(scheme['x-apigateway-auth-opt'])['appcode-auth-type'], schemeName === 'apig-auth-app-header' ? 'header' : '');
    return { authType: 'APP', appCodeAuth: appCode.toLowerCase() === 'header' };
  }
  if (!(schemeName in schemes)) throw new ImportedOperationError(`security scheme ${schemeName} is not defined in the file`);
  const definition = scheme['x-apigateway-authorizer'];
  return { authType: 'AUTHORIZER', authorizer: { name: schemeName, definition: isJsonObject(definition) ? definition : null } };
}

function protocolOf(operation: JsonObject, file: DefinitionFile): ApigProtocol {
  const schemes =
    file.oasVersion === '2.0'
      ? array(operation.schemes ?? file.document.schemes).map((s) => text(s).toLowerCase())
      : array(operation.servers ?? file.document.servers).map((s) => text(object(s).url).split(':')[0].toLowerCase());
  const http = schemes.includes('http');
  const https = schemes.includes('https');
  return http && https ? 'BOTH' : http ? 'HTTP' : 'HTTPS';
}

function refName(ref: string): string {
  return decodeURIComponent(ref.split('/').at(-1) ?? ref).replace(/~1/g, '/').replace(/~0/g, '~');
}

function bodyOf(operation: JsonObject, parameters: JsonObject[], file: DefinitionFile, apiName: string): ApigRequestBody | undefined {
  let schema: JsonObject | undefined;
  let description = '';
  let required = false;
  if (file.oasVersion === '2.0') {
    const body = parameters.find((p) => p.in === 'body');
    if (!body) return undefined;
    schema = object(body.schema);
    description = text(body.description);
    required = bool(body.required, false);
  } else {
    const requestBody = object(operation.requestBody);
    const content = object(requestBody.content);
    const media = object(content['application/json'] ?? Object.values(content)[0]);
    if (!isJsonObject(media.schema)) return undefined;
    schema = media.schema;
    description = text(requestBody.description);
    required = bool(requestBody.required, false);
  }
  const definitions = file.oasVersion === '3.0' ? object(object(file.document.components).schemas) : object(file.document.definitions);
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return { description, required, schemaName: name, schema: object(definitions[name]) };
  }
  return { description, required, schemaName: `${apiName}_body`, schema };
}

/** One operation of the file (at `path`, under the key `methodKey`) as an API draft. */
export function readOperation(file: DefinitionFile, path: string, methodKey: string, pathItem: JsonObject, mockMode: boolean): ApigApiDraft {
  const method = operationMethod(methodKey);
  if (!method) throw new ImportedOperationError(`unsupported method ${methodKey}`);
  if (!path.startsWith('/')) throw new ImportedOperationError('the path must start with /');
  const operation = object(pathItem[methodKey]);
  const allParameters = [...array(pathItem.parameters), ...array(operation.parameters)].filter(isJsonObject);
  const name = typeof operation.operationId === 'string' && operation.operationId !== '' ? operation.operationId : `API_${method}_${path}`.replace(/[^A-Za-z0-9_]/g, '_');
  const parameters = allParameters.map(requestParameter).filter((p): p is ApigRequestParameter => p !== null && p.name !== '');
  for (const match of path.matchAll(/\{([^}+]+)\+?\}/g)) {
    if (!parameters.some((p) => p.location === 'PATH' && p.name === match[1])) {
      parameters.push({ name: match[1], location: 'PATH', type: 'STRING', required: true, passThrough: true });
    }
  }
  const rawBackend = operation['x-apigateway-backend'];
  let backend: ApigBackend | undefined = isJsonObject(rawBackend) ? readBackend(rawBackend) : undefined;
  if (!backend && mockMode) backend = { type: 'MOCK', resultContent: '' };
  const body = bodyOf(operation, allParameters, file, name);
  return {
    name,
    method,
    path,
    matchMode: oneOf(operation['x-apigateway-match-mode'], ['NORMAL', 'SWA'] as const, 'NORMAL', 'x-apigateway-match-mode'),
    protocol: protocolOf(operation, file),
    requestType: oneOf(operation['x-apigateway-request-type'], ['public', 'private'] as const, 'public', 'x-apigateway-request-type'),
    ...authOf(operation, file),
    description: text(operation.description ?? operation.summary),
    tags: array(operation.tags)
      .filter((t): t is string => typeof t === 'string')
      .sort(),
    cors: bool(operation['x-apigateway-cors'], false),
    sendFgBodyBase64: bool(operation['x-apigateway-is-send-fg-body-base64'], true),
    parameters,
    ...(body ? { body } : {}),
    responses: responses(operation.responses),
    ...(backend ? { backend } : {}),
    backendParameters: isJsonObject(rawBackend) ? backendParameters(rawBackend.parameters) : [],
    backendPolicies: backendPolicies(operation['x-apigateway-backend-policies']),
  };
}

/** A custom authorizer from a file's `x-apigateway-authorizer`, for an import that creates it. */
export function readAuthorizer(id: string, name: string, raw: JsonObject): ApigAuthorizer {
  return {
    id,
    name,
    type: 'FRONTEND',
    authorizerType: 'FUNC',
    authorizerUri: text(raw.authorizer_uri),
    authorizerVersion: text(raw.authorizer_version, 'latest'),
    authorizerAliasUri: text(raw.authorizer_alias_uri),
    networkType: oneOf(raw.network_type, ['V1', 'V2'] as const, 'V1', 'network_type'),
    needBody: bool(raw.need_body, false),
    timeout: numberOr(raw.timeout, 5000),
    ttl: numberOr(raw.ttl, 0),
    retryAttempts: numberOr(raw.retry_attempts, 0),
    authDowngradeEnabled: bool(raw.auth_downgrade_enabled, false),
    identities: array(raw.identities)
      .filter(isJsonObject)
      .map((i) => ({ name: text(i.name), location: text(i.location).toUpperCase() === 'QUERY' ? ('QUERY' as const) : ('HEADER' as const), validation: text(i.validation) })),
  };
}
