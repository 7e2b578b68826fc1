import { mulberry32, pick, randomHex, randomInt, shuffled, type Random } from '../prng.js';
import {
  LIVEDATA_STATUSES,
  PLANTED_ROMA_SECRET_PREFIX,
  type LiveDataApi,
  type LiveDataField,
  type LiveDataMethod,
  type LiveDataParameter,
  type LiveDataScript,
  type RomaApp,
  type SignatureKey,
} from './roma-model.js';

/** Per unit of scale: 21 custom backends in 3 applications of 7, 2 signature keys; plus one empty application. */
export const LIVEDATA_APIS_PER_SCALE = 21;
export const LIVEDATA_APIS_PER_APP = 7;
export const SIGNATURE_KEYS_PER_SCALE = 2;

export interface RomaEstate {
  apps: RomaApp[];
  signatures: SignatureKey[];
  apis: LiveDataApi[];
}

const DOMAINS = ['orders', 'crm', 'finance', 'logistics', 'iot', 'hr', 'billing', 'risk', 'marketing', 'inventory'];
const RESOURCES = ['orders', 'customers', 'invoices', 'shipments', 'devices', 'employees', 'payments', 'alerts', 'campaigns', 'stock'];
const DATASOURCE_KINDS = ['mysql', 'dws', 'oracle', 'postgresql', 'sqlserver'];
const ENVIRONMENTS = ['prod', 'test', 'ods'];
const DESCRIPTIONS = [
  '',
  'Query records for the partner portal',
  '查询订单明细,供合作伙伴门户使用',
  'Nightly reconciliation job entry point',
  '按客户编号查询客户信息',
  'Writes audit events to the data warehouse',
  'Aggregates KPIs for the operations dashboard',
];
const APP_REMARKS = ['', 'Integration application for the order center', '客户关系管理集成应用', 'IoT telemetry integration'];
const COLUMNS: LiveDataField[] = [
  { name: 'id', type: 'integer', description: 'Record id' },
  { name: 'name', type: 'string', description: 'Display name' },
  { name: 'amount', type: 'number', description: 'Amount in CNY' },
  { name: 'status', type: 'string', description: '状态' },
  { name: 'updated_at', type: 'string', description: 'Last update, ISO-8601' },
  { name: 'active', type: 'boolean', description: 'Whether the record is active' },
];
const BASE_TIME = Date.UTC(2023, 0, 1);
const DAY_MS = 86_400_000;

/** The kinds of backend the first APIs cycle through, so that scale 1 shows every one. */
type BackendKind = 'function' | 'sql' | 'multi-sql' | 'sp';
const BACKEND_KINDS: BackendKind[] = ['function', 'sql', 'multi-sql', 'sp'];

function uuid(random: Random): string {
  const hex = randomHex(random, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function isoAt(random: Random, afterMs: number, maxDays: number): string {
  return new Date(afterMs + randomInt(random, 0, maxDays) * DAY_MS + randomInt(random, 0, DAY_MS / 1000 - 1) * 1000).toISOString();
}

function datasourceName(random: Random, domain: string): string {
  return `${pick(random, DATASOURCE_KINDS)}_${domain}_${pick(random, ENVIRONMENTS)}`;
}

function functionScript(resource: string, name: string, random: Random): string {
  const variant = randomInt(random, 0, 2);
  if (variant === 0) {
    return [
      `// ${name}: returns a page of ${resource}`,
      'function execute(data) {',
      '  var params = JSON.parse(data);',
      `  var page = params.page || 1;`,
      `  return { resultCode: 0, page: page, ${resource}: [] };`,
      '}',
      '',
    ].join('\n');
  }
  if (variant === 1) {
    return [
      `// ${name}:校验请求并转发到下游系统`,
      "importClass(com.huawei.livedata.lambdaservice.util.JSONHelper);",
      'function execute(data) {',
      '  var body = JSONHelper.parse(data);',
      `  if (!body.id) { return { resultCode: 400, message: '缺少 id' }; }`,
      `  return { resultCode: 0, ${resource}Id: body.id };`,
      '}',
      '',
    ].join('\n');
  }
  return [`// ${name}`, 'function execute(data) {', `  return { resultCode: 0, source: '${resource}', at: new Date().toISOString() };`, '}', ''].join('\n');
}

function sqlScript(resource: string, columns: LiveDataField[], byId: boolean): string {
  const where = byId ? 'WHERE id = ${id}' : "WHERE name LIKE CONCAT('%', ${keyword}, '%') LIMIT ${size} OFFSET ${offset}";
  return `SELECT ${columns.map((c) => c.name).join(', ')}\nFROM t_${resource}\n${where}`;
}

function scriptsFor(kind: BackendKind, resource: string, name: string, domain: string, columns: LiveDataField[], byId: boolean, random: Random): LiveDataScript[] {
  switch (kind) {
    case 'function': {
      const datasources = random() < 0.5 ? [] : [datasourceName(random, domain)];
      return [{ type: 'function', content: functionScript(resource, name, random), result: '', datasources }];
    }
    case 'sql':
      return [{ type: 'SQL', content: sqlScript(resource, columns, byId), result: resource, datasources: [datasourceName(random, domain)] }];
    case 'multi-sql':
      // A data backend over two data sources: one script each, results merged by ROMA.
      return [
        { type: 'SQL', content: sqlScript(resource, columns, byId), result: resource, datasources: [datasourceName(random, domain)] },
        { type: 'SQL', content: `SELECT id, region FROM t_${resource}_region WHERE id = \${id}`, result: `${resource}_region`, datasources: [`dws_${domain}_dw`] },
      ];
    case 'sp':
      return [{ type: 'SP', content: `CALL sp_refresh_${resource}(\${since})`, result: `${resource}_refreshed`, datasources: [datasourceName(random, domain)] }];
  }
}

function parametersFor(method: LiveDataMethod, byId: boolean, kind: BackendKind, random: Random): LiveDataParameter[] {
  const parameters: LiveDataParameter[] = [];
  if (byId) parameters.push({ name: 'id', in: 'path', type: 'integer', required: true, description: 'Record id' });
  if (method === 'GET' && !byId) {
    parameters.push({ name: 'keyword', in: 'query', type: 'string', required: false, description: 'Fuzzy match on the name' });
    parameters.push({ name: 'offset', in: 'query', type: 'integer', required: false, description: 'Offset', default: 0 });
    parameters.push({ name: 'size', in: 'query', type: 'integer', required: false, description: 'Page size', default: 20 });
  }
  if (kind === 'sp') parameters.push({ name: 'since', in: 'query', type: 'string', required: true, description: '起始时间 (ISO-8601)' });
  if (random() < 0.4) parameters.push({ name: 'X-Tenant-Id', in: 'header', type: 'string', required: random() < 0.5, description: 'Tenant of the caller' });
  return parameters;
}

/**
 * The seeded ROMA estate: `round(21 * scale)` custom backends in applications of 7 (plus one
 * application without backends), `max(1, round(2 * scale))` signature keys, deterministic for a
 * seed and scale. The first backends cover every status, script type and backend shape, and
 * signed and unsigned ones, in an order drawn from the seed.
 */
export function generateRomaEstate(seed: number, scale: number): RomaEstate {
  const random = mulberry32(seed ^ 0x20a4);
  const apiCount = Math.max(0, Math.round(LIVEDATA_APIS_PER_SCALE * scale));
  const appCount = Math.ceil(apiCount / LIVEDATA_APIS_PER_APP);
  const signatureCount = Math.max(1, Math.round(SIGNATURE_KEYS_PER_SCALE * scale));

  const apps: RomaApp[] = [];
  for (let i = 0; i <= appCount; i++) {
    // The last one stays empty: an application without custom backends is common, and an edge case.
    const domain = i === appCount ? 'sandbox' : DOMAINS[i % DOMAINS.length];
    const createdAt = isoAt(random, BASE_TIME, 200);
    apps.push({
      id: uuid(random),
      name: `app_${domain}_${String(i + 1).padStart(3, '0')}`,
      remark: pick(random, APP_REMARKS),
      appKey: randomHex(random, 32),
      appSecret: `${PLANTED_ROMA_SECRET_PREFIX}APP-${randomHex(random, 24)}`,
      createdAt,
      updatedAt: isoAt(random, Date.parse(createdAt), 100),
    });
  }

  const signatures: SignatureKey[] = [];
  for (let i = 0; i < signatureCount; i++) {
    signatures.push({
      id: randomHex(random, 32),
      name: `sig_${DOMAINS[i % DOMAINS.length]}_${String(i + 1).padStart(3, '0')}`,
      key: randomHex(random, 32),
      secret: `${PLANTED_ROMA_SECRET_PREFIX}${randomHex(random, 24)}`,
    });
  }

  const firstStatuses = shuffled(random, LIVEDATA_STATUSES);
  const firstKinds = shuffled(random, BACKEND_KINDS);
  const apis: LiveDataApi[] = [];
  for (let i = 0; i < apiCount; i++) {
    const app = apps[Math.floor(i / LIVEDATA_APIS_PER_APP)];
    const domain = app.name.split('_')[1];
    const resource = pick(random, RESOURCES);
    const kind = firstKinds[i] ?? pick(random, BACKEND_KINDS);
    const method: LiveDataMethod = kind === 'sp' ? 'POST' : kind === 'function' ? pick(random, ['GET', 'POST', 'PUT', 'DELETE'] as const) : 'GET';
    const byId = method !== 'POST' && (kind === 'multi-sql' || random() < 0.4);
    const n = String(i + 1).padStart(4, '0');
    const name = `${method.toLowerCase()}_${resource}_${n}`;
    const columns = shuffled(random, COLUMNS).slice(0, randomInt(random, 2, COLUMNS.length));
    const createdAt = isoAt(random, BASE_TIME, 400);
    apis.push({
      id: randomHex(random, 32),
      appId: app.id,
      name,
      method,
      // The index keeps method + path unique however the draws fall.
      path: `/${domain}/v1/${resource}/${n}${byId ? '/{id}' : ''}`,
      description: pick(random, DESCRIPTIONS),
      version: `1.0.${randomInt(random, 0, 9)}`,
      status: firstStatuses[i] ?? pick(random, LIVEDATA_STATUSES),
      // Signed and unsigned alternate at first, then about two in three are signed.
      signatureId: (i < 2 ? i === 0 : random() < 0.66) ? pick(random, signatures).id : null,
      parameters: parametersFor(method, byId, kind, random),
      requestBody: method === 'POST' || method === 'PUT' ? columns.filter((c) => c.name !== 'id') : null,
      responseFields: kind === 'function' ? [{ name: 'resultCode', type: 'integer', description: '0 on success' }] : columns,
      scripts: scriptsFor(kind, resource, name, domain, columns, byId, random),
      createdAt,
      updatedAt: isoAt(random, Date.parse(createdAt), 300),
    });
  }
  return { apps, signatures, apis };
}

