/**
 * One DataArts DataService API as the simulator holds it: the fields of the vendor's API object
 * (CreateApi / ShowApi in the DataArts Studio API reference, VENDORS.md section 1), spelled as
 * the vendor spells them. Times are epoch milliseconds, as ShowApi returns them (`Long`).
 */

/** Editions of DataService; the `Dlm-Type` header picks one (our decision: absent = SHARED). */
export const DLM_TYPES = ['SHARED', 'EXCLUSIVE'] as const;
export type DlmType = (typeof DLM_TYPES)[number];

export const API_TYPES = [
  'API_SPECIFIC_TYPE_CONFIGURATION',
  'API_SPECIFIC_TYPE_SCRIPT',
  'API_SPECIFIC_TYPE_MYBATIS',
  'API_SPECIFIC_TYPE_GROOVY',
  'API_SPECIFIC_TYPE_REGISTER',
  'API_SPECIFIC_TYPE_ORCHESTRATE',
] as const;
export type ApiType = (typeof API_TYPES)[number];

/** The API types the shared edition offers (our decision: MyBatis, Groovy and orchestration are exclusive-only). */
export const SHARED_API_TYPES: readonly ApiType[] = ['API_SPECIFIC_TYPE_CONFIGURATION', 'API_SPECIFIC_TYPE_SCRIPT', 'API_SPECIFIC_TYPE_REGISTER'];

/** The types `api_specific_type_str` can filter on (the export's documented enumeration). */
export const FILTERABLE_API_TYPES: readonly ApiType[] = [
  'API_SPECIFIC_TYPE_CONFIGURATION',
  'API_SPECIFIC_TYPE_SCRIPT',
  'API_SPECIFIC_TYPE_MYBATIS',
  'API_SPECIFIC_TYPE_GROOVY',
];

export const API_STATUSES = [
  'API_STATUS_CREATED',
  'API_STATUS_PUBLISH_WAIT_REVIEW',
  'API_STATUS_PUBLISH_REJECT',
  'API_STATUS_PUBLISHED',
  'API_STATUS_WAITING_STOP',
  'API_STATUS_STOPPED',
  'API_STATUS_RECOVER_WAIT_REVIEW',
  'API_STATUS_WAITING_OFFLINE',
  'API_STATUS_OFFLINE',
  'API_STATUS_OFFLINE_WAIT_REVIEW',
] as const;
export type ApiStatus = (typeof API_STATUSES)[number];

export const AUTHORIZATION_STATUSES = ['NO_AUTHORIZATION_REQUIRED', 'UNAUTHORIZED', 'AUTHORIZED'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

export const PROTOCOLS = ['PROTOCOL_TYPE_HTTP', 'PROTOCOL_TYPE_HTTPS'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const REQUEST_TYPES = ['REQUEST_TYPE_GET', 'REQUEST_TYPE_POST'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const AUTH_TYPES = ['APP', 'IAM', 'NONE'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export const VISIBILITIES = ['WORKSPACE', 'PROJECT', 'DOMAIN'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const PARAMETER_POSITIONS = ['REQUEST_PARAMETER_POSITION_PATH', 'REQUEST_PARAMETER_POSITION_HEADER', 'REQUEST_PARAMETER_POSITION_QUERY'] as const;
export type ParameterPosition = (typeof PARAMETER_POSITIONS)[number];

export const PARAMETER_TYPES = ['REQUEST_PARAMETER_TYPE_NUMBER', 'REQUEST_PARAMETER_TYPE_STRING'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const DATASOURCE_TYPES = ['MYSQL', 'DLI', 'DWS', 'HIVE', 'HBASE'] as const;
export type DatasourceType = (typeof DATASOURCE_TYPES)[number];

export interface RequestPara {
  name: string;
  position: ParameterPosition;
  type: ParameterType;
  description: string;
  necessary: boolean;
  example_value: string;
  default_value: string;
  support_null: boolean;
}

/** `datasource_config.backend_paras`: which table field a request parameter filters, and how. */
export interface ParameterMapping {
  name: string;
  mapping: string;
  condition: string;
}

export interface ResponsePara {
  name: string;
  field: string;
  type: ParameterType;
  description: string;
  example_value: string;
}

export interface OrderPara {
  name: string;
  field: string;
  optional: boolean;
  sort: 'ASC' | 'DESC' | 'CUSTOM';
  order: number;
  description: string;
}

export interface DatasourceConfig {
  type: DatasourceType;
  connection_name: string;
  connection_id: string;
  database: string;
  datatable: string;
  /** DLI only. */
  queue: string | null;
  access_mode: 'SQL' | 'ROW_KEY' | 'PREFIX_FILTER';
  pagination: 'DEFAULT' | 'CUSTOM';
  /** Script and MyBatis APIs; null for configuration APIs (the service writes the SQL). */
  sql: string | null;
  backend_paras: ParameterMapping[];
  response_paras: ResponsePara[];
  order_paras: OrderPara[];
}

export interface BackendRequestPara {
  name: string;
  position: ParameterPosition;
  backend_para_name: string;
}

export interface BackendConstant {
  name: string;
  type: ParameterType;
  position: ParameterPosition;
  description: string;
  value: string;
}

/** Registered APIs only: the HTTP service DataService forwards to. */
export interface BackendConfig {
  type: RequestType;
  protocol: Protocol;
  host: string;
  path: string;
  timeout: number;
  backend_paras: BackendRequestPara[];
  constant_paras: BackendConstant[];
}

export interface DataServiceApi {
  /** 32 hex digits. */
  id: string;
  name: string;
  description: string;
  /** The service catalog folder the API lives in, e.g. `/sales/orders`. */
  catalog_path: string;
  path: string;
  protocol: Protocol;
  request_type: RequestType;
  api_type: ApiType;
  auth_type: AuthType;
  visibility: Visibility;
  tags: string[];
  /** The API reviewer. */
  manager: string;
  log_flag: boolean;
  /** Minimum retention period in hours (CreateApi `retention_period`); null when not set. */
  retention_period: number | null;
  status: ApiStatus;
  authorization_status: AuthorizationStatus;
  request_paras: RequestPara[];
  /** Configuration, script and MyBatis APIs. */
  datasource_config: DatasourceConfig | null;
  /** Groovy APIs: the script and the data sources it may use. */
  groovy_content: string | null;
  datasource_config_list: DatasourceConfig[];
  /** Registered APIs. */
  backend_config: BackendConfig | null;
  create_user: string;
  create_time: number;
  update_time: number;
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** The publish status the export filter `publish_status_type` sees (our decision: only API_STATUS_PUBLISHED is PUBLISHED). */
export function publishStatusType(api: DataServiceApi): 'PUBLISHED' | 'NOT_PUBLISHED' {
  return api.status === 'API_STATUS_PUBLISHED' ? 'PUBLISHED' : 'NOT_PUBLISHED';
}

/** Every table an API reads: its data source's, or all of a Groovy API's. */
export function tablesOf(api: DataServiceApi): string[] {
  const configs = api.datasource_config ? [api.datasource_config] : api.datasource_config_list;
  return configs.map((config) => config.datatable).filter((table) => table !== '');
}
