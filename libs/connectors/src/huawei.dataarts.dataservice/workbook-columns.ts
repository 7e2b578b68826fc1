/**
 * How the connector recognizes a workbook column: by its header text, never by its position
 * (our decision for the layout, VENDORS.md section 1). Each field lists the English and Chinese
 * headers vendor-sim writes, the vendor's own field name, and spellings a console export may use;
 * headers are compared after normalization (case, width, spaces, underscores and brackets fold).
 * A header matching none of them is an unknown column: its values are kept under vendorExtras.
 */
export const COLUMN_HEADERS = {
  id: ['API ID', 'API编号', 'id', 'api_id', 'API标识'],
  name: ['API Name', 'API名称', 'name', 'api_name', '名称'],
  api_type: ['API Type', 'API类型', 'api_type', '取数方式类型', 'API取数方式'],
  catalog_path: ['Catalog', '所属目录', 'catalog_path', 'catalog', '目录'],
  description: ['Description', '描述', 'description', 'API描述'],
  protocol: ['Protocol', '请求协议', 'protocol', '协议'],
  request_type: ['Request Method', '请求方式', 'request_type', 'method', '请求类型'],
  path: ['Path', 'API路径', 'path', 'API Path', '路径'],
  auth_type: ['Authentication', '认证方式', 'auth_type', 'Auth Type', '安全认证'],
  visibility: ['Visibility', '可见范围', 'visibility', '可见性'],
  tags: ['Tags', '标签', 'tags'],
  manager: ['Reviewer', '审核人', 'manager'],
  log_flag: ['Access Log', '访问日志', 'log_flag'],
  retention_period: ['Retention Period (h)', '最短保留期(小时)', 'retention_period'],
  request_paras: ['Request Parameters', '请求参数', 'request_paras'],
  status: ['Publish Status', '发布状态', 'status', 'API Status', 'API状态'],
  authorization_status: ['Authorization Status', '授权状态', 'authorization_status'],
  create_user: ['Creator', '创建人', 'create_user', 'Created By'],
  create_time: ['Created', '创建时间', 'create_time', 'Create Time', 'Creation Time'],
  update_time: ['Updated', '更新时间', 'update_time', 'Update Time', '修改时间'],
  datasource_type: ['Data Source Type', '数据源类型', 'datasource_config.type'],
  connection_name: ['Data Connection', '数据连接', 'connection_name', '数据连接名称'],
  connection_id: ['Data Connection ID', '数据连接ID', 'connection_id'],
  database: ['Database', '数据库', 'database'],
  datatable: ['Data Table', '数据表', 'datatable', 'table_name'],
  queue: ['Queue', '资源队列', 'queue'],
  access_mode: ['Access Mode', '取数方式', 'access_mode'],
  pagination: ['Pagination', '分页方式', 'pagination'],
  sql: ['SQL', 'SQL语句', 'sql', 'SQL Script'],
  parameter_mappings: ['Parameter Mappings', '参数映射', 'datasource_config.backend_paras'],
  response_paras: ['Response Parameters', '返回参数', 'response_paras'],
  order_paras: ['Order Parameters', '排序参数', 'order_paras'],
  groovy_content: ['Groovy Script', 'Groovy脚本', 'groovy_content'],
  datasource_config_list: ['Data Sources', '数据源列表', 'datasource_config_list'],
  backend_method: ['Backend Method', '后端请求方式', 'backend_config.type'],
  backend_protocol: ['Backend Protocol', '后端协议', 'backend_config.protocol'],
  backend_host: ['Backend Host', '后端服务地址', 'backend_config.host', '后端地址'],
  backend_path: ['Backend Path', '后端路径', 'backend_config.path'],
  backend_timeout: ['Backend Timeout (ms)', '后端超时(毫秒)', 'backend_config.timeout', '后端超时'],
  backend_paras: ['Backend Parameters', '后端参数', 'backend_config.backend_paras'],
  constant_paras: ['Constant Parameters', '常量参数', 'constant_paras', 'backend_config.constant_paras'],
} as const satisfies Record<string, readonly string[]>;

export type ColumnKey = keyof typeof COLUMN_HEADERS;

/** Folds what varies between spellings of one header: width, case, spaces, `_`, `-`, `.` and brackets. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.()[\]{}【】:]/g, '');
}

const KEY_BY_HEADER = new Map<string, ColumnKey>();
for (const [key, headers] of Object.entries(COLUMN_HEADERS) as [ColumnKey, readonly string[]][]) {
  for (const header of headers) {
    const normalized = normalizeHeader(header);
    const taken = KEY_BY_HEADER.get(normalized);
    if (taken && taken !== key) throw new Error(`DataService header "${header}" is listed for both ${taken} and ${key}`);
    KEY_BY_HEADER.set(normalized, key);
  }
}

export function columnKeyOf(header: string): ColumnKey | undefined {
  return KEY_BY_HEADER.get(normalizeHeader(header));
}

/**
 * The API type a sheet holds, from its name, for rows without an API Type cell. Matches the
 * English and Chinese names vendor-sim writes and the vendor's type words.
 */
const SHEET_TYPE_WORDS: [RegExp, string][] = [
  [/configuration|配置/i, 'API_SPECIFIC_TYPE_CONFIGURATION'],
  [/mybatis/i, 'API_SPECIFIC_TYPE_MYBATIS'],
  [/groovy/i, 'API_SPECIFIC_TYPE_GROOVY'],
  [/script|脚本/i, 'API_SPECIFIC_TYPE_SCRIPT'],
  [/regist|注册/i, 'API_SPECIFIC_TYPE_REGISTER'],
  [/orchestrat|编排/i, 'API_SPECIFIC_TYPE_ORCHESTRATE'],
];

export function apiTypeOfSheet(sheetName: string): string | undefined {
  return SHEET_TYPE_WORDS.find(([pattern]) => pattern.test(sheetName))?.[1];
}
