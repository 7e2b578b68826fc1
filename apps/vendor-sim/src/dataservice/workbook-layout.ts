import type { ApiType, DataServiceApi } from './dataservice-api.js';
import type { ExportLocale } from './dataservice-state.js';

/**
 * Our decision for the exported workbooks (the vendor documents only "one sheet per API type",
 * VENDORS.md section 1): row 1 holds the headers, one row per API below. Every sheet has the
 * common columns; configuration, script and MyBatis sheets add the data source columns, the
 * Groovy sheet the script and its data sources, the registered-API sheet the backend. Nested
 * lists (request parameters, mappings...) are JSON text in one cell; tags are comma-separated;
 * times are ISO-8601 in China time (+08:00), the console's zone. Enum values are written as the
 * vendor's API spells them, in both locales.
 */
export type CellValue = string | number | boolean | null;

export interface ColumnSpec {
  /** The vendor field the column holds (a dotted path for nested config fields). */
  field: string;
  en: string;
  zh: string;
  cell(api: DataServiceApi): CellValue;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** `2024-03-01T16:15:30.000+08:00`: the instant, as a Chinese console user reads it. */
export function chinaTime(epochMs: number): string {
  return `${new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, -1)}+08:00`;
}

function text(value: string | null | undefined): CellValue {
  return value === null || value === undefined || value === '' ? null : value;
}

function json(value: unknown[]): CellValue {
  return value.length === 0 ? null : JSON.stringify(value);
}

const COMMON_HEAD: ColumnSpec[] = [
  { field: 'id', en: 'API ID', zh: 'API编号', cell: (api) => api.id },
  { field: 'name', en: 'API Name', zh: 'API名称', cell: (api) => api.name },
  { field: 'api_type', en: 'API Type', zh: 'API类型', cell: (api) => api.api_type },
  { field: 'catalog_path', en: 'Catalog', zh: '所属目录', cell: (api) => api.catalog_path },
  { field: 'description', en: 'Description', zh: '描述', cell: (api) => text(api.description) },
  { field: 'protocol', en: 'Protocol', zh: '请求协议', cell: (api) => api.protocol },
  { field: 'request_type', en: 'Request Method', zh: '请求方式', cell: (api) => api.request_type },
  { field: 'path', en: 'Path', zh: 'API路径', cell: (api) => api.path },
  { field: 'auth_type', en: 'Authentication', zh: '认证方式', cell: (api) => api.auth_type },
  { field: 'visibility', en: 'Visibility', zh: '可见范围', cell: (api) => api.visibility },
  { field: 'tags', en: 'Tags', zh: '标签', cell: (api) => text(api.tags.join(',')) },
  { field: 'manager', en: 'Reviewer', zh: '审核人', cell: (api) => text(api.manager) },
  { field: 'log_flag', en: 'Access Log', zh: '访问日志', cell: (api) => api.log_flag },
  { field: 'retention_period', en: 'Retention Period (h)', zh: '最短保留期(小时)', cell: (api) => api.retention_period },
  { field: 'request_paras', en: 'Request Parameters', zh: '请求参数', cell: (api) => json(api.request_paras) },
];

const COMMON_TAIL: ColumnSpec[] = [
  { field: 'status', en: 'Publish Status', zh: '发布状态', cell: (api) => api.status },
  { field: 'authorization_status', en: 'Authorization Status', zh: '授权状态', cell: (api) => api.authorization_status },
  { field: 'create_user', en: 'Creator', zh: '创建人', cell: (api) => api.create_user },
  { field: 'create_time', en: 'Created', zh: '创建时间', cell: (api) => chinaTime(api.create_time) },
  { field: 'update_time', en: 'Updated', zh: '更新时间', cell: (api) => chinaTime(api.update_time) },
];

const DATASOURCE: ColumnSpec[] = [
  { field: 'datasource_config.type', en: 'Data Source Type', zh: '数据源类型', cell: (api) => text(api.datasource_config?.type) },
  { field: 'datasource_config.connection_name', en: 'Data Connection', zh: '数据连接', cell: (api) => text(api.datasource_config?.connection_name) },
  { field: 'datasource_config.connection_id', en: 'Data Connection ID', zh: '数据连接ID', cell: (api) => text(api.datasource_config?.connection_id) },
  { field: 'datasource_config.database', en: 'Database', zh: '数据库', cell: (api) => text(api.datasource_config?.database) },
  { field: 'datasource_config.datatable', en: 'Data Table', zh: '数据表', cell: (api) => text(api.datasource_config?.datatable) },
  { field: 'datasource_config.queue', en: 'Queue', zh: '资源队列', cell: (api) => text(api.datasource_config?.queue) },
  { field: 'datasource_config.access_mode', en: 'Access Mode', zh: '取数方式', cell: (api) => text(api.datasource_config?.access_mode) },
  { field: 'datasource_config.pagination', en: 'Pagination', zh: '分页方式', cell: (api) => text(api.datasource_config?.pagination) },
  { field: 'datasource_config.sql', en: 'SQL', zh: 'SQL语句', cell: (api) => text(api.datasource_config?.sql) },
  {
    field: 'datasource_config.backend_paras',
    en: 'Parameter Mappings',
    zh: '参数映射',
    cell: (api) => json(api.datasource_config?.backend_paras ?? []),
  },
  {
    field: 'datasource_config.response_paras',
    en: 'Response Parameters',
    zh: '返回参数',
    cell: (api) => json(api.datasource_config?.response_paras ?? []),
  },
  { field: 'datasource_config.order_paras', en: 'Order Parameters', zh: '排序参数', cell: (api) => json(api.datasource_config?.order_paras ?? []) },
];

const GROOVY: ColumnSpec[] = [
  { field: 'groovy_content', en: 'Groovy Script', zh: 'Groovy脚本', cell: (api) => text(api.groovy_content) },
  { field: 'datasource_config_list', en: 'Data Sources', zh: '数据源列表', cell: (api) => json(api.datasource_config_list) },
];

const BACKEND: ColumnSpec[] = [
  { field: 'backend_config.type', en: 'Backend Method', zh: '后端请求方式', cell: (api) => text(api.backend_config?.type) },
  { field: 'backend_config.protocol', en: 'Backend Protocol', zh: '后端协议', cell: (api) => text(api.backend_config?.protocol) },
  { field: 'backend_config.host', en: 'Backend Host', zh: '后端服务地址', cell: (api) => text(api.backend_config?.host) },
  { field: 'backend_config.path', en: 'Backend Path', zh: '后端路径', cell: (api) => text(api.backend_config?.path) },
  { field: 'backend_config.timeout', en: 'Backend Timeout (ms)', zh: '后端超时(毫秒)', cell: (api) => api.backend_config?.timeout ?? null },
  {
    field: 'backend_config.backend_paras',
    en: 'Backend Parameters',
    zh: '后端参数',
    cell: (api) => json(api.backend_config?.backend_paras ?? []),
  },
  {
    field: 'backend_config.constant_paras',
    en: 'Constant Parameters',
    zh: '常量参数',
    cell: (api) => json(api.backend_config?.constant_paras ?? []),
  },
];

const TYPE_COLUMNS: Record<ApiType, ColumnSpec[]> = {
  API_SPECIFIC_TYPE_CONFIGURATION: DATASOURCE,
  API_SPECIFIC_TYPE_SCRIPT: DATASOURCE,
  API_SPECIFIC_TYPE_MYBATIS: DATASOURCE,
  API_SPECIFIC_TYPE_GROOVY: GROOVY,
  API_SPECIFIC_TYPE_REGISTER: BACKEND,
  API_SPECIFIC_TYPE_ORCHESTRATE: [],
};

export const SHEET_NAMES: Record<ApiType, Record<ExportLocale, string>> = {
  API_SPECIFIC_TYPE_CONFIGURATION: { en: 'Configuration APIs', zh: '配置方式API' },
  API_SPECIFIC_TYPE_SCRIPT: { en: 'Script APIs', zh: '脚本方式API' },
  API_SPECIFIC_TYPE_MYBATIS: { en: 'MyBatis APIs', zh: 'MyBatis方式API' },
  API_SPECIFIC_TYPE_GROOVY: { en: 'Groovy APIs', zh: 'Groovy方式API' },
  API_SPECIFIC_TYPE_REGISTER: { en: 'Registered APIs', zh: '注册API' },
  API_SPECIFIC_TYPE_ORCHESTRATE: { en: 'Orchestrated APIs', zh: '编排API' },
};

/** The columns of one API type's sheet, in order. */
export function sheetColumns(apiType: ApiType): ColumnSpec[] {
  return [...COMMON_HEAD, ...TYPE_COLUMNS[apiType], ...COMMON_TAIL];
}

export function headerOf(column: ColumnSpec, locale: ExportLocale): string {
  return locale === 'zh' ? column.zh : column.en;
}

/** Every column of every sheet, once per field: what an import understands. */
export function allColumns(): ColumnSpec[] {
  const byField = new Map<string, ColumnSpec>();
  for (const column of [...COMMON_HEAD, ...DATASOURCE, ...GROOVY, ...BACKEND, ...COMMON_TAIL]) byField.set(column.field, column);
  return [...byField.values()];
}

/** At most this many APIs per workbook (VENDORS.md section 1, confirmed). */
export const APIS_PER_WORKBOOK = 200;

export function workbookEntryName(index: number): string {
  return `DataService_APIs_${String(index + 1).padStart(3, '0')}.xlsx`;
}

export const DATASERVICE_EXPORT_FILE_NAME = 'DataService_APIs.zip';
