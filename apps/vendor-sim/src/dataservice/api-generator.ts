import { PLANTED_SECRET_PREFIX } from '../dlf/dlf-connection.js';
import { mulberry32, pick, randomHex, randomInt, shuffled, type Random } from '../prng.js';
import {
  API_TYPES,
  SHARED_API_TYPES,
  type ApiStatus,
  type ApiType,
  type AuthType,
  type BackendConfig,
  type DataServiceApi,
  type DatasourceConfig,
  type DatasourceType,
  type DlmType,
  type RequestPara,
} from './dataservice-api.js';

const DOMAINS = ['sales', 'finance', 'orders', 'crm', 'logistics', 'hr', 'marketing', 'iot', 'risk', 'billing'];
const ENTITIES = ['customer', 'order', 'invoice', 'shipment', 'device', 'account', 'campaign', 'employee', 'payment', 'product'];
const VERBS = ['list', 'get', 'query', 'stat', 'search', 'export'];
const USERS = ['dev_zhang', 'dev_li', 'ops_wang', 'data_chen', 'analyst_liu'];
const REVIEWERS = ['reviewer_zhao', 'reviewer_sun', 'ops_wang'];
const TAGS = ['core', 'report', 'v2', 'internal', 'partner', '报表', '实时', 'deprecated'];
const DESCRIPTIONS = [
  '',
  'Customer master data for the CRM front end',
  '按日期查询订单明细',
  'Monthly revenue by region',
  '设备实时状态查询',
  'Read-only view for partners',
  'Paged search over the data warehouse',
];
const STATUSES: ApiStatus[] = [
  'API_STATUS_PUBLISHED',
  'API_STATUS_PUBLISHED',
  'API_STATUS_PUBLISHED',
  'API_STATUS_CREATED',
  'API_STATUS_PUBLISH_WAIT_REVIEW',
  'API_STATUS_OFFLINE',
  'API_STATUS_STOPPED',
];
const DATASOURCE_TYPES: DatasourceType[] = ['MYSQL', 'DLI', 'DWS', 'HIVE', 'HBASE'];
const BACKEND_HOSTS = ['10.0.12.7:8080', 'backend.internal.example.com', 'svc-report.example.com:8443', '192.168.10.21'];

/** 2023-01-01T00:00:00Z .. 2025-06-30T00:00:00Z, whole seconds. */
const FIRST_CREATION = Date.UTC(2023, 0, 1);
const CREATION_SPAN_SECONDS = Math.floor((Date.UTC(2025, 5, 30) - FIRST_CREATION) / 1000);

/** APIs per workspace and edition at scale 1: 40 in all. */
export const DATASERVICE_APIS_PER_SCALE = {
  primary: { EXCLUSIVE: 24, SHARED: 6 },
  secondary: { EXCLUSIVE: 8, SHARED: 2 },
} as const satisfies Record<string, Record<DlmType, number>>;

export interface GenerateApisOptions {
  seed: number;
  count: number;
  dlmType: DlmType;
  /** Prefixes every name, so that two generated sets never share one. */
  namePrefix?: string;
}

function requestParas(random: Random, path: string): RequestPara[] {
  const paras: RequestPara[] = [];
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
    paras.push({
      name,
      position: 'REQUEST_PARAMETER_POSITION_PATH',
      type: 'REQUEST_PARAMETER_TYPE_STRING',
      description: `${name} of the record`,
      necessary: true,
      example_value: randomHex(random, 8),
      default_value: '',
      support_null: false,
    });
  }
  const queryCount = randomInt(random, 0, 3);
  const queryNames = shuffled(random, ['page_num', 'page_size', 'start_date', 'end_date', 'region', 'status', 'keyword']).slice(0, queryCount);
  for (const name of queryNames) {
    const numeric = name.startsWith('page');
    paras.push({
      name,
      position: 'REQUEST_PARAMETER_POSITION_QUERY',
      type: numeric ? 'REQUEST_PARAMETER_TYPE_NUMBER' : 'REQUEST_PARAMETER_TYPE_STRING',
      description: random() < 0.3 ? '' : `Filter by ${name.replace('_', ' ')}`,
      necessary: random() < 0.4,
      example_value: numeric ? String(randomInt(random, 1, 50)) : random() < 0.5 ? '2024-01-01' : 'east',
      default_value: name === 'page_size' ? '20' : '',
      support_null: random() < 0.5,
    });
  }
  if (random() < 0.25) {
    paras.push({
      name: 'X-Tenant-Id',
      position: 'REQUEST_PARAMETER_POSITION_HEADER',
      type: 'REQUEST_PARAMETER_TYPE_STRING',
      description: 'Tenant the caller acts for',
      necessary: false,
      example_value: 'tenant-01',
      default_value: '',
      support_null: true,
    });
  }
  return paras;
}

function datasource(random: Random, apiType: ApiType, entity: string, paras: RequestPara[]): DatasourceConfig {
  const type = apiType === 'API_SPECIFIC_TYPE_CONFIGURATION' ? pick(random, DATASOURCE_TYPES) : pick(random, ['MYSQL', 'DLI', 'DWS', 'HIVE'] as const);
  const database = pick(random, ['ods', 'dwd', 'dws', 'ads', 'sales_db', 'crm_db']);
  const table = `${pick(random, ['t_', 'dim_', 'fact_', ''])}${entity}${random() < 0.5 ? '_di' : ''}`;
  const columns = ['id', `${entity}_name`, 'region', 'amount', 'updated_at'].slice(0, randomInt(random, 2, 5));
  const filters = paras.filter((p) => p.position !== 'REQUEST_PARAMETER_POSITION_HEADER' && !p.name.startsWith('page'));
  let sql: string | null = null;
  if (apiType === 'API_SPECIFIC_TYPE_SCRIPT') {
    const where = filters.map((p) => `${p.name} = \${${p.name}}`).join(' AND ');
    sql = `SELECT ${columns.join(', ')} FROM ${database}.${table}${where ? ` WHERE ${where}` : ''}`;
  } else if (apiType === 'API_SPECIFIC_TYPE_MYBATIS') {
    const conditions = filters.map((p) => `<if test="${p.name} != null">AND ${p.name} = #{${p.name}}</if>`).join('');
    sql = `<select id="query">SELECT ${columns.join(', ')} FROM ${table}<where>${conditions}</where></select>`;
  }
  return {
    type,
    connection_name: `${type.toLowerCase()}_${pick(random, DOMAINS)}_conn`,
    connection_id: randomHex(random, 32),
    database,
    datatable: table,
    queue: type === 'DLI' ? pick(random, ['default', 'dli_queue_01']) : null,
    access_mode: type === 'HBASE' ? pick(random, ['ROW_KEY', 'PREFIX_FILTER'] as const) : 'SQL',
    pagination: random() < 0.8 ? 'DEFAULT' : 'CUSTOM',
    sql,
    backend_paras:
      apiType === 'API_SPECIFIC_TYPE_CONFIGURATION'
        ? filters.map((p) => ({ name: p.name, mapping: p.name, condition: pick(random, ['CONDITION_TYPE_EQ', 'CONDITION_TYPE_LIKE', 'CONDITION_TYPE_GE']) }))
        : [],
    response_paras: columns.map((column) => ({
      name: column,
      field: column,
      type: column === 'amount' || column === 'id' ? 'REQUEST_PARAMETER_TYPE_NUMBER' : 'REQUEST_PARAMETER_TYPE_STRING',
      description: random() < 0.5 ? '' : `${column.replace('_', ' ')}`,
      example_value: column === 'amount' ? '99.5' : '',
    })),
    order_paras:
      random() < 0.4
        ? [{ name: 'updated_at', field: 'updated_at', optional: true, sort: pick(random, ['ASC', 'DESC'] as const), order: 1, description: '' }]
        : [],
  };
}

/** Registered APIs forward to an HTTP backend; some carry a constant credential, planted so leaks are visible. */
function backend(random: Random, entity: string, paras: RequestPara[]): BackendConfig {
  const constants: BackendConfig['constant_paras'] = [
    { name: 'source', type: 'REQUEST_PARAMETER_TYPE_STRING', position: 'REQUEST_PARAMETER_POSITION_QUERY', description: 'Caller tag', value: 'dataarts' },
  ];
  if (random() < 0.6) {
    constants.push({
      name: 'app_secret',
      type: 'REQUEST_PARAMETER_TYPE_STRING',
      position: 'REQUEST_PARAMETER_POSITION_HEADER',
      description: 'Backend credential',
      value: `${PLANTED_SECRET_PREFIX}${randomHex(random, 12)}`,
    });
  }
  return {
    type: random() < 0.7 ? 'REQUEST_TYPE_GET' : 'REQUEST_TYPE_POST',
    protocol: random() < 0.5 ? 'PROTOCOL_TYPE_HTTP' : 'PROTOCOL_TYPE_HTTPS',
    host: pick(random, BACKEND_HOSTS),
    path: `/api/${entity}s${random() < 0.5 ? '/search' : ''}`,
    timeout: pick(random, [5000, 10000, 30000, 60000]),
    backend_paras: paras
      .filter((p) => p.position !== 'REQUEST_PARAMETER_POSITION_HEADER')
      .map((p) => ({ name: p.name, position: p.position, backend_para_name: p.name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) })),
    constant_paras: constants,
  };
}

function groovyScript(entity: string): string {
  return [
    `def rows = dataSource.query("select * from ${entity} where region = ?", params.region)`,
    'return rows.collect { [id: it.id, name: it.name] }',
  ].join('\n');
}

function authorizationStatus(random: Random, auth: AuthType): DataServiceApi['authorization_status'] {
  if (auth !== 'APP') return 'NO_AUTHORIZATION_REQUIRED';
  return random() < 0.6 ? 'AUTHORIZED' : 'UNAUTHORIZED';
}

/**
 * `count` seeded DataService APIs of one edition, deterministic for the options. The first ones
 * cover every API type the edition offers (in an order drawn from the seed), the rest are drawn;
 * names are unique within the set.
 */
export function generateDataServiceApis(options: GenerateApisOptions): DataServiceApi[] {
  const random = mulberry32(options.seed);
  const types = options.dlmType === 'SHARED' ? SHARED_API_TYPES : API_TYPES;
  const firstTypes = shuffled(random, types);
  const prefix = options.namePrefix ?? '';
  const apis: DataServiceApi[] = [];
  for (let i = 0; i < options.count; i++) {
    const apiType = i < firstTypes.length ? firstTypes[i] : pick(random, types);
    const domain = pick(random, DOMAINS);
    const entity = pick(random, ENTITIES);
    const verb = pick(random, VERBS);
    const serial = String(i + 1).padStart(4, '0');
    const name = `${prefix}${verb}_${domain}_${entity}_${serial}`;
    const path = verb === 'get' ? `/${domain}/${entity}s/{${entity}_id}/v${serial}` : `/${domain}/${entity}s/${verb}/v${serial}`;
    const paras = requestParas(random, path);
    const auth = pick(random, ['APP', 'APP', 'IAM', 'NONE'] as const);
    const created = FIRST_CREATION + randomInt(random, 0, CREATION_SPAN_SECONDS) * 1000;
    const updated = random() < 0.3 ? created : Math.min(created + randomInt(random, 60, 200 * 86_400) * 1000, Date.UTC(2025, 5, 30));
    const usesDatasource = ['API_SPECIFIC_TYPE_CONFIGURATION', 'API_SPECIFIC_TYPE_SCRIPT', 'API_SPECIFIC_TYPE_MYBATIS'].includes(apiType);
    const tagCount = randomInt(random, 0, 3);
    apis.push({
      id: randomHex(random, 32),
      name,
      description: pick(random, DESCRIPTIONS),
      catalog_path: random() < 0.2 ? '/' : `/${domain}${random() < 0.5 ? `/${entity}` : ''}`,
      path,
      protocol: random() < 0.7 ? 'PROTOCOL_TYPE_HTTPS' : 'PROTOCOL_TYPE_HTTP',
      request_type: verb === 'search' || verb === 'export' ? 'REQUEST_TYPE_POST' : 'REQUEST_TYPE_GET',
      api_type: apiType,
      auth_type: auth,
      visibility: pick(random, ['WORKSPACE', 'WORKSPACE', 'PROJECT', 'DOMAIN'] as const),
      tags: shuffled(random, TAGS).slice(0, tagCount),
      manager: pick(random, REVIEWERS),
      log_flag: random() < 0.7,
      retention_period: random() < 0.5 ? null : pick(random, [0, 24, 72, 168]),
      status: pick(random, STATUSES),
      authorization_status: authorizationStatus(random, auth),
      request_paras: paras,
      datasource_config: usesDatasource ? datasource(random, apiType, entity, paras) : null,
      groovy_content: apiType === 'API_SPECIFIC_TYPE_GROOVY' ? groovyScript(entity) : null,
      datasource_config_list:
        apiType === 'API_SPECIFIC_TYPE_GROOVY' ? [datasource(random, 'API_SPECIFIC_TYPE_SCRIPT', entity, paras)].map((c) => ({ ...c, sql: null })) : [],
      backend_config: apiType === 'API_SPECIFIC_TYPE_REGISTER' ? backend(random, entity, paras) : null,
      create_user: pick(random, USERS),
      create_time: created,
      update_time: updated,
    });
  }
  return apis;
}
