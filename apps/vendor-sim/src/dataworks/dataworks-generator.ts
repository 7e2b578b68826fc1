import { mulberry32, pick, randomInt, shuffled, type Random } from '../prng.js';
import {
  formatDataWorksTime,
  type DataWorksApi,
  type DataWorksConnection,
  type DataWorksRequestParameter,
  type DataWorksResponseParameter,
  type RegistrationDetails,
  type ScriptDetails,
  type WizardDetails,
} from './dataworks-api.js';

/** APIs per workspace at scale 1 (two workspaces are seeded: about 50 APIs in all). */
export const DATAWORKS_APIS_PER_SCALE = 25;

const DOMAINS = ['sales', 'finance', 'orders', 'crm', 'logistics', 'risk', 'iot', 'billing'];
const ENTITIES = ['customer', 'order', 'invoice', 'shipment', 'device', 'account', 'payment', 'product'];
const VERBS = ['get', 'list', 'query', 'stat', 'search'];
const DESCRIPTIONS = [
  '',
  'Customer master data for the CRM front end',
  '按日期查询订单明细',
  'Revenue by region & channel (amount > 0)',
  '设备实时状态查询 <实时>',
  'Read-only view for partners',
];
const COLUMNS = ['id', 'region', 'customer_id', 'order_date', 'amount', 'status', 'device_sn', 'channel', 'updated_at'];
const GROUP_IDS = ['ab12cd34ef', 'bc23de45fa', 'cd34ef56ab'];
/** Alibaba Cloud account ids are 16-digit numbers, carried as strings. */
const ACCOUNT_IDS = ['1234567890123456', '2345678901234567', '3456789012345678'];
const HOSTS = ['http://10.0.12.7:8080', 'https://report.internal.example.com', 'http://192.168.10.21:9000'];

/** 2021-01-01T00:00:00+08:00 .. about 3 years later. */
const FIRST_CREATION = Date.UTC(2020, 11, 31, 16);
const CREATION_SPAN_SECONDS = 3 * 365 * 86_400;

export interface GenerateDataWorksApisOptions {
  seed: number;
  count: number;
  projectId: number;
  tenantId: number;
  firstApiId: number;
}

function requestParameter(random: Random, name: string, position: number, operator: number): DataWorksRequestParameter {
  const dataType = pick(random, [0, 0, 1, 2, 3, 4, 5, 6, 7]);
  return {
    ColumnName: pick(random, COLUMNS),
    ParameterName: name,
    ParameterPosition: position,
    ParameterDescription: pick(random, ['', 'filter value', '过滤条件', 'page cursor']),
    DefaultValue: random() < 0.3 ? String(randomInt(random, 1, 100)) : '',
    ParameterOperator: operator,
    ParameterDataType: dataType,
    ExampleValue: dataType === 5 ? 'true' : dataType >= 6 ? '1,2,3' : String(randomInt(random, 1, 9999)),
    IsRequiredParameter: random() < 0.5,
  };
}

function responseParameter(random: Random, column: string): DataWorksResponseParameter {
  return {
    ParameterDescription: pick(random, ['', 'result column', '结果字段']),
    ColumnName: column,
    ParameterName: column,
    ParameterDataType: pick(random, [0, 1, 2, 4]),
    ExampleValue: String(randomInt(random, 1, 500)),
  };
}

/** Request parameters: as many as `count`, distinct names, positions the API's kind allows. */
function requestParameters(random: Random, count: number, positions: readonly number[], operators: readonly number[]): DataWorksRequestParameter[] {
  return shuffled(random, COLUMNS)
    .slice(0, count)
    .map((column, i) => requestParameter(random, `${column}${i === 0 ? '' : `_${i}`}`, pick(random, positions), pick(random, operators)));
}

function responseParameters(random: Random, count: number): DataWorksResponseParameter[] {
  return shuffled(random, COLUMNS)
    .slice(0, count)
    .map((column) => responseParameter(random, column));
}

function connection(random: Random, entity: string): DataWorksConnection {
  return { TableName: `dwd_${entity}_di`, ConnectionId: randomInt(random, 100_000, 999_999) };
}

/** Wizard and script APIs take their parameters in the query (the vendor's rule); wizard operators: Equal, Like, In. */
function wizardDetails(random: Random, entity: string, parameterCount: number): WizardDetails {
  return {
    IsPagedResponse: random() < 0.6,
    WizardRequestParameters: requestParameters(random, parameterCount, [1], [0, 1, 3]),
    WizardResponseParameters: responseParameters(random, randomInt(random, 1, 4)),
    WizardConnection: connection(random, entity),
  };
}

function scriptDetails(random: Random, entity: string, parameterCount: number): ScriptDetails {
  const parameters = requestParameters(random, parameterCount, [1], [0]);
  const where = parameters.map((p) => `${p.ColumnName} = \${${p.ParameterName}}`).join(' and ');
  return {
    Script: `select * from dwd_${entity}_di where amount > 0${where ? ` and ${where}` : ''}`,
    IsPagedResponse: random() < 0.5,
    ScriptRequestParameters: parameters,
    ScriptResponseParameters: responseParameters(random, randomInt(random, 1, 4)),
    ScriptConnection: connection(random, entity),
  };
}

/** Registration APIs: any position their method allows (body only with PUT and POST); operators Equal and Const. */
function registrationDetails(random: Random, domain: string, entity: string, method: number, parameterCount: number): RegistrationDetails {
  const positions = method === 1 || method === 2 ? [1, 2, 3] : [1, 2];
  return {
    ServiceHost: pick(random, HOSTS),
    ServiceContentType: random() < 0.8 ? 0 : 1,
    ServicePath: `/api/${domain}/${entity}`,
    SuccessfulResultSample: `{"success":true,"data":[{"${entity}_id":1}]}`,
    FailedResultSample: '{"success":false,"message":"internal error"}',
    ServiceRequestBodyDescription: method === 1 || method === 2 ? `JSON body describing the ${entity}` : '',
    RegistrationErrorCodes: random() < 0.5 ? [{ ErrorCode: '1001', ErrorMessage: 'backend failure', ErrorSolution: 'retry' }] : [],
    RegistrationRequestParameters: requestParameters(random, parameterCount, positions, [0, 2]),
  };
}

/**
 * The DataService APIs of one workspace, deterministic for (seed, count). The first three cover
 * the three kinds (wizard, script, registration) in an order drawn from the seed, and the first
 * four cover the shapes a one-or-array reader must handle: no request parameter, exactly one,
 * several, and both protocols.
 */
export function generateDataWorksApis(options: GenerateDataWorksApisOptions): DataWorksApi[] {
  const random = mulberry32(options.seed);
  const firstModes = shuffled(random, [0, 1, 2]);
  const parameterCounts = [0, 1, 3, 2];
  const apis: DataWorksApi[] = [];
  let created = FIRST_CREATION + randomInt(random, 0, CREATION_SPAN_SECONDS / 4) * 1000;
  const step = Math.max(60, Math.floor(CREATION_SPAN_SECONDS / Math.max(1, options.count)));

  for (let i = 0; i < options.count; i++) {
    const mode = i < firstModes.length ? firstModes[i] : pick(random, [0, 0, 1, 2]);
    const domain = pick(random, DOMAINS);
    const entity = pick(random, ENTITIES);
    const verb = pick(random, VERBS);
    const serial = String(i + 1).padStart(4, '0');
    const method = mode === 2 ? pick(random, [0, 1, 2, 3]) : pick(random, [0, 0, 1]);
    const parameterCount = i < parameterCounts.length ? parameterCounts[i] : randomInt(random, 0, 4);
    created += randomInt(random, 1, step) * 1000;
    const modified = random() < 0.4 ? created : created + randomInt(random, 60, 90 * 86_400) * 1000;
    const creator = pick(random, ACCOUNT_IDS);

    const api: DataWorksApi = {
      Timeout: pick(random, [3000, 5000, 10_000, 30_000]),
      Status: random() < 0.6 ? 1 : 0,
      ApiId: options.firstApiId + i,
      ApiMode: mode,
      ProjectId: options.projectId,
      ResponseContentType: mode === 2 && random() < 0.2 ? 1 : 0,
      CreatorId: creator,
      VisibleRange: random() < 0.8 ? 0 : 1,
      ModifiedTime: formatDataWorksTime(new Date(modified)),
      OperatorId: random() < 0.7 ? creator : pick(random, ACCOUNT_IDS),
      GroupId: pick(random, GROUP_IDS),
      Description: pick(random, DESCRIPTIONS),
      FolderId: random() < 0.5 ? 0 : randomInt(random, 1000, 9999),
      RequestMethod: method,
      CreatedTime: formatDataWorksTime(new Date(created)),
      ApiName: `${verb}_${domain}_${entity}_${serial}`,
      TenantId: options.tenantId,
      ApiPath: `/${domain}/${entity}/${verb}_${serial}`,
      Protocols: i === 3 ? [0, 1] : [pick(random, [0, 1, 1])],
    };
    if (mode === 0) api.WizardDetails = wizardDetails(random, entity, parameterCount);
    else if (mode === 1) api.ScriptDetails = scriptDetails(random, entity, parameterCount);
    else api.RegistrationDetails = registrationDetails(random, domain, entity, method, parameterCount);
    apis.push(api);
  }
  return apis;
}
