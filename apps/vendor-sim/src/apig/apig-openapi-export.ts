import type { JsonObject, JsonValue } from '#catalog-model';
import type {
  ApigAcl,
  ApigApi,
  ApigAuthorizer,
  ApigBackend,
  ApigBackendParameter,
  ApigBackendPolicy,
  ApigGroup,
  ApigRequestParameter,
  ApigThrottle,
} from './apig-model.js';
import type { ApigState } from './apig-state.js';

/** `spec`: front end; `proxy`: + backend; `all`: + throttling, ACL, custom authorizers; `dev`: front end + backend of unpublished APIs. */
export const APIG_DEFINES = ['spec', 'proxy', 'all', 'dev'] as const;
export type ApigDefine = (typeof APIG_DEFINES)[number];

export const OAS_VERSIONS = ['2.0', '3.0'] as const;
export type OasVersion = (typeof OAS_VERSIONS)[number];

export interface ApigExportRequest {
  groupId: string;
  envId: string;
  define: ApigDefine;
  oasVersion: OasVersion;
  /** `info.version`; the vendor's default is the export time. */
  version: string;
  /** Only these API ids (of the selection); absent or empty = every selected API. */
  apiIds?: readonly string[];
}

/** The placeholder some OAS 3.0 exports carry instead of the group's URL. */
export const APIG_GROUP_ENTRY_URL_PLACEHOLDER = '$APIG_GROUP_ENTRY_URL';

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'];

/**
 * Which APIs an export holds. `dev` = the group's APIs published in no environment (our reading of
 * "development definitions of APIs that have not been published": the union of every
 * environment's `all` export and the `dev` export is the whole group). The others = the APIs
 * published in `envId`.
 */
export function selectExportedApis(state: ApigState, request: Pick<ApigExportRequest, 'groupId' | 'envId' | 'define' | 'apiIds'>): ApigApi[] {
  const apis =
    request.define === 'dev'
      ? state.listApis({ groupId: request.groupId }).filter((api) => !state.isPublished(api.id))
      : state.listApis({ groupId: request.groupId, envId: request.envId });
  const wanted = request.apiIds && request.apiIds.length > 0 ? new Set(request.apiIds) : null;
  return wanted ? apis.filter((api) => wanted.has(api.id)) : apis;
}

function withBackend(define: ApigDefine): boolean {
  return define !== 'spec';
}

function withPolicies(define: ApigDefine): boolean {
  return define === 'all';
}

/** Lower-case scheme list of an API's protocol. */
function schemesOf(api: ApigApi): string[] {
  return api.protocol === 'BOTH' ? ['http', 'https'] : [api.protocol.toLowerCase()];
}

function compact(object: Record<string, JsonValue | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as JsonObject;
}

function backendParameters(parameters: ApigBackendParameter[]): JsonObject[] {
  return parameters.map((p) => compact({ name: p.name, value: p.value, in: p.location.toLowerCase(), origin: p.origin, description: p.description }));
}

function endpointsOf(backend: ApigBackend): JsonObject {
  switch (backend.type) {
    case 'HTTP':
    case 'HTTP-VPC': {
      const target = {
        scheme: backend.scheme,
        method: backend.method,
        path: backend.path,
        timeout: backend.timeout,
        retryCount: backend.retryCount,
        description: backend.description,
        enableClientSsl: backend.enableClientSsl,
        enableSmChannel: backend.enableSmChannel,
      };
      return backend.type === 'HTTP'
        ? { httpEndpoints: { address: backend.address, ...target } }
        : { httpVpcEndpoints: { name: backend.vpcChannelName, ...target } };
    }
    case 'FUNCTION':
      return {
        functionEndpoints: {
          'function-urn': backend.functionUrn,
          'alias-urn': backend.aliasUrn,
          version: backend.version,
          'invocation-type': backend.invocationType,
          'network-type': backend.networkType,
          req_protocol: backend.reqProtocol,
          timeout: backend.timeout,
        },
      };
    case 'MOCK':
      return { mockEndpoints: { 'result-content': backend.resultContent } };
  }
}

function backendExtension(backend: ApigBackend, parameters: ApigBackendParameter[]): JsonObject {
  return { type: backend.type, ...(parameters.length > 0 ? { parameters: backendParameters(parameters) } : {}), ...endpointsOf(backend) };
}

function backendPoliciesExtension(policies: ApigBackendPolicy[]): JsonObject[] {
  return policies.map((policy) => ({
    type: policy.backend.type,
    name: policy.name,
    ...(policy.parameters.length > 0 ? { parameters: backendParameters(policy.parameters) } : {}),
    ...endpointsOf(policy.backend),
    conditions: policy.conditions.map((c) => compact({ type: c.type, value: c.value, origin: c.origin, parameter_name: c.parameterName })),
  }));
}

function throttleExtension(throttle: ApigThrottle): JsonObject {
  return compact({
    'api-limit': throttle.apiLimit,
    'user-limit': throttle.userLimit,
    'app-limit': throttle.appLimit,
    'ip-limit': throttle.ipLimit,
    interval: throttle.interval,
    unit: throttle.unit,
    shared: throttle.shared,
    special: throttle.special.length > 0 ? throttle.special.map((s) => ({ type: s.type, limit: s.limit, instance: s.instance })) : undefined,
  });
}

function aclExtension(acl: ApigAcl): JsonObject {
  return { 'acl-type': acl.aclType, 'entity-type': acl.entityType, value: acl.value };
}

function authorizerExtension(authorizer: ApigAuthorizer): JsonObject {
  return {
    type: authorizer.type,
    authorizer_type: authorizer.authorizerType,
    authorizer_uri: authorizer.authorizerUri,
    authorizer_version: authorizer.authorizerVersion,
    authorizer_alias_uri: authorizer.authorizerAliasUri,
    network_type: authorizer.networkType,
    need_body: authorizer.needBody,
    timeout: authorizer.timeout,
    ttl: authorizer.ttl,
    retry_attempts: authorizer.retryAttempts,
    auth_downgrade_enabled: authorizer.authDowngradeEnabled,
    identities: authorizer.identities.map((i) => ({ name: i.name, location: i.location, validation: i.validation })),
  };
}

/**
 * The security scheme an API uses: `apig-auth-app` (or `apig-auth-app-header` with AppCode),
 * `apig-auth-iam`, or one named after the custom authorizer, whose `x-apigateway-authorizer`
 * details only `all` exports carry (the vendor lists custom authorizers under `all` alone).
 */
function securitySchemeOf(api: ApigApi, state: ApigState, define: ApigDefine): [string, JsonObject] | null {
  switch (api.authType) {
    case 'NONE':
      return null;
    case 'IAM':
      return ['apig-auth-iam', { type: 'apiKey', name: 'unused', in: 'header', 'x-apigateway-auth-type': 'IAM' }];
    case 'APP':
      return api.appCodeAuth
        ? [
            'apig-auth-app-header',
            { type: 'apiKey', name: 'Authorization', in: 'header', 'x-apigateway-auth-opt': { 'appcode-auth-type': 'header' }, 'x-apigateway-auth-type': 'AppSigv1' },
          ]
        : ['apig-auth-app', { type: 'apiKey', name: 'Authorization', in: 'header', 'x-apigateway-auth-type': 'AppSigv1' }];
    case 'AUTHORIZER': {
      const authorizer = api.authorizerId === undefined ? undefined : state.getAuthorizer(api.authorizerId);
      const name = authorizer?.name ?? `authorizer_${api.authorizerId ?? 'unknown'}`;
      const scheme: JsonObject = { type: 'apiKey', name: 'unused', in: 'header' };
      if (authorizer && withPolicies(define)) scheme['x-apigateway-authorizer'] = authorizerExtension(authorizer);
      return [name, scheme];
    }
  }
}

function parameterV2(p: ApigRequestParameter): JsonObject {
  return compact({
    name: p.name,
    in: p.location.toLowerCase(),
    description: p.description,
    required: p.required,
    type: p.type.toLowerCase(),
    default: p.defaultValue,
    'x-apigateway-pass-through': p.passThrough ? 'always' : 'never',
    'x-apigateway-orchestrations': p.orchestrations,
  });
}

function parameterV3(p: ApigRequestParameter): JsonObject {
  return compact({
    name: p.name,
    in: p.location.toLowerCase(),
    description: p.description,
    required: p.required,
    schema: compact({ type: p.type.toLowerCase(), default: p.defaultValue }),
    'x-apigateway-pass-through': p.passThrough ? 'always' : 'never',
    'x-apigateway-orchestrations': p.orchestrations,
  });
}

function responsesOf(api: ApigApi): JsonObject {
  if (api.responses.kind === 'empty') return {};
  return {
    default: compact({
      description: 'default response',
      'x-apigateway-result-normal-sample': api.responses.normalSample,
      'x-apigateway-result-failure-sample': api.responses.failureSample,
    }),
  };
}

interface RenderContext {
  state: ApigState;
  request: ApigExportRequest;
  schemes: Map<string, JsonObject>;
  schemas: Map<string, JsonObject>;
  throttles: Map<string, ApigThrottle>;
  acls: Map<string, ApigAcl>;
}

function operationOf(api: ApigApi, context: RenderContext): JsonObject {
  const { state, request } = context;
  const v3 = request.oasVersion === '3.0';
  const operation: JsonObject = { operationId: api.name };
  if (api.description) operation.description = api.description;
  if (api.tags.length > 0) operation.tags = [...api.tags];
  if (!v3) operation.schemes = schemesOf(api);
  const scheme = securitySchemeOf(api, state, request.define);
  if (scheme) {
    context.schemes.set(scheme[0], scheme[1]);
    operation.security = [{ [scheme[0]]: [] }];
  }
  const refBase = v3 ? '#/components/schemas/' : '#/definitions/';
  const parameters: JsonObject[] = api.parameters.map(v3 ? parameterV3 : parameterV2);
  if (api.body) {
    context.schemas.set(api.body.schemaName, api.body.schema);
    const schema = { $ref: `${refBase}${api.body.schemaName}` };
    if (v3) operation.requestBody = { description: api.body.description, required: api.body.required, content: { 'application/json': { schema } } };
    else parameters.push({ name: 'body', in: 'body', description: api.body.description, required: api.body.required, schema });
    if (!v3) operation.consumes = ['application/json'];
  }
  if (parameters.length > 0) operation.parameters = parameters;
  operation.responses = responsesOf(api);
  operation['x-apigateway-request-type'] = api.requestType;
  operation['x-apigateway-match-mode'] = api.matchMode;
  operation['x-apigateway-cors'] = api.cors;
  operation['x-apigateway-is-send-fg-body-base64'] = api.sendFgBodyBase64;
  if (withBackend(request.define)) {
    if (api.backend) operation['x-apigateway-backend'] = backendExtension(api.backend, api.backendParameters);
    if (api.backendPolicies.length > 0) operation['x-apigateway-backend-policies'] = backendPoliciesExtension(api.backendPolicies);
  }
  if (withPolicies(request.define)) {
    const publication = state.publication(api.id, request.envId);
    const throttle = publication?.throttle === undefined ? undefined : state.getThrottle(publication.throttle);
    if (throttle) {
      context.throttles.set(throttle.name, throttle);
      operation['x-apigateway-ratelimit'] = throttle.name;
    }
    const acl = publication?.acl === undefined ? undefined : state.getAcl(publication.acl);
    if (acl) {
      context.acls.set(acl.name, acl);
      operation['x-apigateway-access-control'] = acl.name;
    }
  }
  return operation;
}

function sortedByPathThenMethod(apis: ApigApi[]): ApigApi[] {
  return [...apis].sort((a, b) => (a.path !== b.path ? (a.path < b.path ? -1 : 1) : METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method)));
}

function pathsOf(apis: ApigApi[], context: RenderContext): JsonObject {
  const paths: JsonObject = {};
  for (const api of sortedByPathThenMethod(apis)) {
    const item = (paths[api.path] ??= {}) as JsonObject;
    item[api.method === 'ANY' ? 'x-apigateway-any-method' : api.method.toLowerCase()] = operationOf(api, context);
  }
  return paths;
}

function sortedRecord<T>(entries: Map<string, T>, render: (value: T) => JsonObject): JsonObject {
  return Object.fromEntries([...entries.keys()].sort().map((key) => [key, render(entries.get(key)!)]));
}

function hostOf(group: ApigGroup): string {
  return group.urlDomains[0] ?? group.slDomain;
}

/**
 * The exported document of one group: Swagger 2.0 or OpenAPI 3.0.3, holding the selected APIs
 * with the `x-apigateway-*` extensions the `define` calls for. Deterministic: the same estate and
 * request always give the same document (only `version` varies, with the export time).
 */
export function renderApigExport(state: ApigState, request: ApigExportRequest): JsonObject {
  const group = state.getGroup(request.groupId);
  if (!group) throw new Error(`renderApigExport: unknown group ${request.groupId}`);
  const context: RenderContext = { state, request, schemes: new Map(), schemas: new Map(), throttles: new Map(), acls: new Map() };
  const paths = pathsOf(selectExportedApis(state, request), context);
  const info = compact({ title: group.name, description: group.remark || undefined, version: request.version });

  const document: JsonObject =
    request.oasVersion === '3.0'
      ? {
          openapi: '3.0.3',
          info,
          servers: [{ url: group.entryUrlPlaceholder ? APIG_GROUP_ENTRY_URL_PLACEHOLDER : `https://${hostOf(group)}` }],
          paths,
        }
      : { swagger: '2.0', info, host: hostOf(group), paths };

  const identity = (value: JsonObject) => value;
  if (request.oasVersion === '3.0') {
    const components: JsonObject = {};
    if (context.schemas.size > 0) components.schemas = sortedRecord(context.schemas, identity);
    if (context.schemes.size > 0) components.securitySchemes = sortedRecord(context.schemes, identity);
    if (Object.keys(components).length > 0) document.components = components;
  } else {
    if (context.schemes.size > 0) document.securityDefinitions = sortedRecord(context.schemes, identity);
    if (context.schemas.size > 0) document.definitions = sortedRecord(context.schemas, identity);
  }
  if (context.throttles.size > 0) document['x-apigateway-ratelimits'] = sortedRecord(context.throttles, throttleExtension);
  if (context.acls.size > 0) document['x-apigateway-access-controls'] = sortedRecord(context.acls, aclExtension);
  return document;
}
