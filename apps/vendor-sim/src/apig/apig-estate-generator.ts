import type { JsonObject } from '#catalog-model';
import { PLANTED_SECRET_PREFIX } from '../dlf/dlf-connection.js';
import { mulberry32, pick, randomHex, randomInt, shuffled, type Random } from '../prng.js';
import {
  RELEASE_ENV_ID,
  RELEASE_ENV_NAME,
  type ApigAcl,
  type ApigApi,
  type ApigAuthType,
  type ApigAuthorizer,
  type ApigBackend,
  type ApigBackendParameter,
  type ApigBackendPolicy,
  type ApigEnvironment,
  type ApigGroup,
  type ApigMethod,
  type ApigPublication,
  type ApigRequestParameter,
  type ApigThrottle,
} from './apig-model.js';
import type { ApigState } from './apig-state.js';

/** Everything a seeded instance holds, as plain data (comparable, and loadable into an ApigState). */
export interface ApigEstate {
  groups: ApigGroup[];
  envs: ApigEnvironment[];
  apis: ApigApi[];
  publications: ApigPublication[];
  throttles: ApigThrottle[];
  acls: ApigAcl[];
  authorizers: ApigAuthorizer[];
}

/** Per unit of scale: 3 groups holding 30 APIs between them; always 2 environments. */
export const APIG_GROUPS_PER_SCALE = 3;
export const APIG_APIS_PER_SCALE = 30;
export const APIG_TEST_ENV_NAME = 'TEST';

const REGION = 'cn-north-4';
const GROUP_DOMAINS = ['orders', 'payments', 'users', 'inventory', 'shipping', 'billing', 'catalog', 'reports', 'devices', 'tickets'];
const RESOURCES = ['orders', 'customers', 'invoices', 'devices', 'tickets', 'products', 'shipments', 'accounts', 'coupons', 'reviews'];
const DESCRIPTIONS = ['', 'Lists the items of the current tenant', '查询订单详情', 'Creates an item; idempotent on X-Request-Id', '内部接口，仅供运维使用', 'Deprecated: use v2'];
const GROUP_REMARKS = ['', 'Public APIs of the shop', '合作伙伴接口', 'Internal back-office APIs'];
const TAGS = ['public', 'partner', 'internal', 'v1', 'beta', '订单'];
const METHODS_COVERED: ApigMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ANY'];
const AUTH_COVERED: Array<{ authType: ApigAuthType; appCodeAuth?: boolean }> = [
  { authType: 'APP' },
  { authType: 'APP', appCodeAuth: true },
  { authType: 'IAM' },
  { authType: 'NONE' },
  { authType: 'AUTHORIZER' },
];
type BackendKind = ApigBackend['type'] | 'none';
const BACKENDS_COVERED: BackendKind[] = ['HTTP', 'HTTP-VPC', 'FUNCTION', 'MOCK', 'none'];
/** Where an API is published: the first four APIs cover every case, in a seeded order. */
type Publication = 'release' | 'both' | 'test' | 'none';
const PUBLICATIONS_COVERED: Publication[] = ['release', 'both', 'test', 'none'];
const PUBLICATION_WEIGHTS: Publication[] = ['release', 'release', 'release', 'both', 'both', 'both', 'test', 'none', 'none'];

const BASE_TIME = Date.UTC(2024, 2, 1, 8, 0, 0);
const HOUR = 3_600_000;

function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

function singular(resource: string): string {
  return resource.endsWith('s') ? resource.slice(0, -1) : resource;
}

const THROTTLES: ApigThrottle[] = [
  { name: 'throttle_default', apiLimit: 1000, interval: 1, unit: 'SECOND', shared: false, special: [] },
  {
    name: 'throttle_partner',
    apiLimit: 600,
    userLimit: 300,
    appLimit: 200,
    ipLimit: 100,
    interval: 1,
    unit: 'MINUTE',
    shared: true,
    special: [{ type: 'APP', limit: 50, instance: '8b1f4c2e6a0d4e3f9c7b5a1d2e3f4a5b' }],
  },
];

const ACLS: ApigAcl[] = [
  { name: 'acl_office_ip', aclType: 'PERMIT', entityType: 'IP', value: '10.0.0.0/8,192.168.1.10' },
  { name: 'acl_block_domain', aclType: 'DENY', entityType: 'DOMAIN', value: 'blocked.example.com' },
];

function authorizerOf(random: Random, projectId: string): ApigAuthorizer {
  return {
    id: randomHex(random, 32),
    name: 'auth_token_check',
    type: 'FRONTEND',
    authorizerType: 'FUNC',
    authorizerUri: `urn:fss:${REGION}:${projectId}:function:default:token-check`,
    authorizerVersion: 'latest',
    authorizerAliasUri: '',
    networkType: 'V2',
    needBody: false,
    timeout: 5000,
    ttl: 60,
    retryAttempts: 0,
    authDowngradeEnabled: false,
    identities: [{ name: 'Authorization', location: 'HEADER', validation: '' }],
  };
}

function groupOf(random: Random, index: number): ApigGroup {
  const id = randomHex(random, 32);
  const at = BASE_TIME + index * 24 * HOUR;
  return {
    id,
    name: `${GROUP_DOMAINS[index % GROUP_DOMAINS.length]}_api${index >= GROUP_DOMAINS.length ? `_${Math.floor(index / GROUP_DOMAINS.length) + 1}` : ''}`,
    remark: pick(random, GROUP_REMARKS),
    slDomain: `${id}.apic.${REGION}.huaweicloudapis.com`,
    urlDomains: index === 0 ? ['api.example-shop.com'] : [],
    entryUrlPlaceholder: index % 3 === 1,
    registerTime: isoAt(at),
    updateTime: isoAt(at + HOUR),
  };
}

function httpTarget(random: Random, method: ApigMethod, path: string) {
  return {
    scheme: pick(random, ['http', 'https'] as const),
    method: method === 'ANY' ? ('ANY' as const) : method,
    path: `/backend${path}`,
    timeout: pick(random, [5000, 10000, 30000]),
    retryCount: pick(random, ['-1', '0', '3']),
    description: '',
    enableClientSsl: false,
    enableSmChannel: false,
  };
}

function backendOf(kind: Exclude<BackendKind, 'none'>, random: Random, method: ApigMethod, path: string, projectId: string): ApigBackend {
  switch (kind) {
    case 'HTTP':
      return { type: 'HTTP', address: `${pick(random, ['10.0.1.12', '10.0.2.40', 'backend.internal'])}:${pick(random, [80, 8080, 8443])}`, ...httpTarget(random, method, path) };
    case 'HTTP-VPC':
      return { type: 'HTTP-VPC', vpcChannelName: `vpc_${pick(random, ['orders', 'core', 'legacy'])}_${randomHex(random, 4)}`, ...httpTarget(random, method, path) };
    case 'FUNCTION':
      return {
        type: 'FUNCTION',
        functionUrn: `urn:fss:${REGION}:${projectId}:function:default:fn-${randomHex(random, 6)}`,
        aliasUrn: '',
        version: 'latest',
        invocationType: pick(random, ['sync', 'sync', 'async'] as const),
        networkType: pick(random, ['V1', 'V2'] as const),
        reqProtocol: 'HTTPS',
        timeout: pick(random, [5000, 15000]),
      };
    case 'MOCK':
      return { type: 'MOCK', resultContent: pick(random, ['{"code":0,"message":"mocked"}', 'OK', '']) };
  }
}

/** Request parameters: the path parameter, some queries, sometimes a header. */
function parametersOf(random: Random, hasId: boolean, idName: string): ApigRequestParameter[] {
  const parameters: ApigRequestParameter[] = [];
  if (hasId) parameters.push({ name: idName, location: 'PATH', type: 'STRING', required: true, description: 'Resource id', passThrough: true });
  const queries: ApigRequestParameter[] = [
    { name: 'page', location: 'QUERY', type: 'INTEGER', required: false, defaultValue: 1, passThrough: true },
    { name: 'size', location: 'QUERY', type: 'INTEGER', required: false, defaultValue: 20, description: 'Page size, at most 100', passThrough: true },
    { name: 'q', location: 'QUERY', type: 'STRING', required: false, description: 'Free-text filter', passThrough: false },
    { name: 'verbose', location: 'QUERY', type: 'BOOLEAN', required: false, defaultValue: false, passThrough: true },
    { name: 'region', location: 'QUERY', type: 'STRING', required: false, passThrough: true, orchestrations: ['orchestration_region'] },
  ];
  parameters.push(...shuffled(random, queries).slice(0, randomInt(random, 0, 3)));
  if (random() < 0.4) parameters.push({ name: 'X-Request-Id', location: 'HEADER', type: 'STRING', required: random() < 0.5, passThrough: true });
  return parameters;
}

function bodySchemaOf(resource: string, random: Random): JsonObject {
  const properties: JsonObject = { name: { type: 'string', description: `Name of the ${singular(resource)}` }, amount: { type: 'number' } };
  if (random() < 0.5) properties.tags = { type: 'array', items: { type: 'string' } };
  return { type: 'object', required: ['name'], properties };
}

function backendParametersOf(random: Random, backend: ApigBackend | undefined, parameters: ApigRequestParameter[], plantSecret: boolean): ApigBackendParameter[] {
  if (!backend || backend.type === 'MOCK' || backend.type === 'FUNCTION') return [];
  const out: ApigBackendParameter[] = parameters
    .filter((p) => p.location === 'PATH')
    .map((p) => ({ name: p.name, value: p.name, location: 'PATH' as const, origin: 'REQUEST' as const, description: '' }));
  if (plantSecret) {
    out.push({ name: 'X-Backend-Token', value: `${PLANTED_SECRET_PREFIX}${randomHex(random, 12)}`, location: 'HEADER', origin: 'CONSTANT', description: 'Shared secret of the backend' });
  } else if (random() < 0.3) {
    out.push({ name: 'X-Invoke-User', value: 'apigateway', location: 'HEADER', origin: 'CONSTANT', description: 'Caller' });
  }
  if (random() < 0.2) out.push({ name: 'X-Source-Ip', value: '$context.sourceIp', location: 'HEADER', origin: 'SYSTEM' });
  return out;
}

function backendPoliciesOf(random: Random, backend: ApigBackend | undefined, method: ApigMethod, path: string, projectId: string): ApigBackendPolicy[] {
  if (!backend || backend.type === 'MOCK' || random() >= 0.15) return [];
  return [
    {
      name: `policy_v2_${randomHex(random, 4)}`,
      backend: backendOf('HTTP', random, method, `/v2${path}`, projectId),
      parameters: [],
      conditions: [{ type: 'equal', value: 'v2', origin: 'request_parameter', parameterName: 'X-Api-Version' }],
    },
  ];
}

function publicationsOf(random: Random, api: ApigApi, where: Publication, testEnvId: string, index: number): ApigPublication[] {
  const envs = where === 'release' ? [RELEASE_ENV_ID] : where === 'test' ? [testEnvId] : where === 'both' ? [RELEASE_ENV_ID, testEnvId] : [];
  return envs.map((envId, i) => {
    // The first publications bind each policy once, so every scale-1 estate shows them all.
    const throttle = index === 0 && i === 0 ? THROTTLES[1].name : random() < 0.3 ? pick(random, THROTTLES).name : undefined;
    const acl = index === 1 && i === 0 ? ACLS[0].name : index === 2 && i === 0 ? ACLS[1].name : random() < 0.15 ? pick(random, ACLS).name : undefined;
    return {
      apiId: api.id,
      envId,
      publishId: randomHex(random, 32),
      publishTime: isoAt(Date.parse(api.updateTime) + (i + 1) * HOUR),
      ...(throttle ? { throttle } : {}),
      ...(acl ? { acl } : {}),
    };
  });
}

/**
 * The seeded API Gateway instance: `max(1, round(3 * scale))` groups holding `round(30 * scale)`
 * APIs between them (dealt round-robin), and two environments (RELEASE and TEST). Deterministic
 * for a seed and scale. The first APIs cover every method, auth type, backend type and
 * publication case (RELEASE only, both, TEST only, unpublished), so scale 1 always shows them all;
 * one API carries a planted backend secret (a CONSTANT header whose value starts with SIMSECRET-).
 */
export function generateApigEstate(seed: number, scale: number, projectId: string): ApigEstate {
  const random = mulberry32(seed ^ 0xa919);
  const groupCount = Math.max(1, Math.round(APIG_GROUPS_PER_SCALE * scale));
  const apiCount = Math.max(0, Math.round(APIG_APIS_PER_SCALE * scale));

  const testEnv: ApigEnvironment = { id: randomHex(random, 32), name: APIG_TEST_ENV_NAME, remark: 'Integration tests', createTime: isoAt(BASE_TIME + HOUR) };
  const envs: ApigEnvironment[] = [{ id: RELEASE_ENV_ID, name: RELEASE_ENV_NAME, remark: 'Release environment', createTime: isoAt(BASE_TIME) }, testEnv];
  const authorizer = authorizerOf(random, projectId);
  const groups = Array.from({ length: groupCount }, (_, i) => groupOf(random, i));

  const methods = shuffled(random, METHODS_COVERED);
  const auths = shuffled(random, AUTH_COVERED);
  const backends = shuffled(random, BACKENDS_COVERED);
  const publicationCases = shuffled(random, PUBLICATIONS_COVERED);
  // The planted secret rides on the first HTTP backend, which always takes backend parameters.
  const secretAt = backends.indexOf('HTTP');

  const apis: ApigApi[] = [];
  const publications: ApigPublication[] = [];
  const pathsByGroup = new Map<string, Set<string>>();
  const namesByGroup = new Map<string, Set<string>>();
  for (let i = 0; i < apiCount; i++) {
    const group = groups[i % groupCount];
    const method = methods[i] ?? pick(random, ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'] as const);
    const resource = pick(random, RESOURCES);
    const idName = `${singular(resource)}_id`;
    const hasId = method !== 'POST' && random() < 0.6;
    const paths = pathsByGroup.get(group.id) ?? new Set<string>();
    pathsByGroup.set(group.id, paths);
    let path = `/v${randomInt(random, 1, 2)}/${resource}${hasId ? `/{${idName}}` : ''}`;
    if (paths.has(`${method} ${path}`)) path = `${path}/${String(i).padStart(3, '0')}`;
    paths.add(`${method} ${path}`);

    const names = namesByGroup.get(group.id) ?? new Set<string>();
    namesByGroup.set(group.id, names);
    const verb = { GET: hasId ? 'get' : 'list', POST: 'create', PUT: 'update', DELETE: 'delete', PATCH: 'patch', HEAD: 'head', OPTIONS: 'options', ANY: 'proxy' }[method];
    let name = random() < 0.3 ? `API_${randomHex(random, 8)}` : `${verb}_${hasId || method !== 'GET' ? singular(resource) : resource}`;
    if (names.has(name)) name = `${name}_${i}`;
    names.add(name);

    const auth = auths[i] ?? pick(random, AUTH_COVERED);
    const kind = backends[i] ?? pick(random, ['HTTP', 'HTTP', 'HTTP-VPC', 'FUNCTION', 'MOCK', 'none'] as const);
    const backend = kind === 'none' ? undefined : backendOf(kind, random, method, path, projectId);
    const parameters = parametersOf(random, hasId, idName);
    const registered = BASE_TIME + (i + 48) * HOUR;
    const withSamples = random() < 0.7;
    const api: ApigApi = {
      id: randomHex(random, 32),
      groupId: group.id,
      name,
      method,
      path,
      matchMode: random() < 0.15 ? 'SWA' : 'NORMAL',
      protocol: pick(random, ['HTTPS', 'HTTPS', 'HTTPS', 'BOTH', 'BOTH', 'HTTP'] as const),
      requestType: random() < 0.8 ? 'public' : 'private',
      authType: auth.authType,
      ...(auth.authType === 'AUTHORIZER' ? { authorizerId: authorizer.id } : {}),
      ...(auth.authType === 'APP' ? { appCodeAuth: auth.appCodeAuth === true } : {}),
      description: pick(random, DESCRIPTIONS),
      tags: shuffled(random, TAGS).slice(0, randomInt(random, 0, 2)).sort(),
      cors: random() < 0.3,
      sendFgBodyBase64: random() < 0.8,
      parameters,
      ...(['POST', 'PUT', 'PATCH'].includes(method)
        ? { body: { description: `The ${singular(resource)} to write`, required: true, schemaName: `${singular(resource)}_input_${i}`, schema: bodySchemaOf(resource, random) } }
        : {}),
      responses: withSamples
        ? { kind: 'default', normalSample: `{"${resource}":[]}`, failureSample: '{"error_code":"E001","error_msg":"failed"}' }
        : { kind: 'default' },
      ...(backend ? { backend } : {}),
      backendParameters: backendParametersOf(random, backend, parameters, i === secretAt),
      backendPolicies: backendPoliciesOf(random, backend, method, path, projectId),
      registerTime: isoAt(registered),
      updateTime: isoAt(registered + randomInt(random, 0, 72) * HOUR),
    };
    apis.push(api);
    const where = publicationCases[i] ?? pick(random, PUBLICATION_WEIGHTS);
    publications.push(...publicationsOf(random, api, where, testEnv.id, i));
  }

  return { groups, envs, apis, publications, throttles: structuredClone(THROTTLES), acls: structuredClone(ACLS), authorizers: [authorizer] };
}

/** Loads an estate into a (fresh) state, policies first so that bindings resolve. */
export function loadApigEstate(state: ApigState, estate: ApigEstate): void {
  for (const throttle of estate.throttles) state.upsertThrottle(throttle);
  for (const acl of estate.acls) state.upsertAcl(acl);
  for (const authorizer of estate.authorizers) state.upsertAuthorizer(authorizer);
  for (const env of estate.envs) state.upsertEnv(env);
  for (const group of estate.groups) state.upsertGroup(group);
  for (const api of estate.apis) state.upsertApi(api);
  for (const publication of estate.publications) state.restorePublication(publication);
}
