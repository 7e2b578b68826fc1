import { isJsonObject, sortParameters, type ApiBackend, type ApiDocument, type ApiParameter, type ApiResponseField, type ApiStatus, type JsonObject, type JsonValue } from '#catalog-model';
import { ArtifactFormatError } from '../errors.js';
import { jsonDepthExceeds, tooDeepReason } from '../json-depth.js';
import { cellBoolean, cellInstant, cellJson, cellNumber, cellText } from './cell-text.js';
import type { ColumnKey } from './workbook-columns.js';
import type { CellValue } from './xlsx-sheet-reader.js';

/** One API row: its cells by known column, the unknown columns by header, and where it is. */
export interface ApiRow {
  cells: Map<ColumnKey, CellValue>;
  unknown: [header: string, value: CellValue][];
  /** From the sheet name, for rows without an API Type cell. */
  sheetApiType: string | undefined;
  /** `DataService_APIs_001.xlsx`, sheet `Script APIs`, row 7: for messages. */
  where: string;
  artifact: string;
}

export interface MappedApi {
  externalId: string;
  name: string;
  document: ApiDocument;
}

/** ShowApi's statuses (shared edition) and the export filter's words, to the model's. */
const STATUS: Record<string, ApiStatus> = {
  API_STATUS_PUBLISHED: 'published',
  PUBLISHED: 'published',
  已发布: 'published',
  API_STATUS_CREATED: 'unpublished',
  API_STATUS_PUBLISH_WAIT_REVIEW: 'unpublished',
  API_STATUS_PUBLISH_REJECT: 'unpublished',
  NOT_PUBLISHED: 'unpublished',
  未发布: 'unpublished',
  API_STATUS_WAITING_STOP: 'published',
  API_STATUS_WAITING_OFFLINE: 'published',
  API_STATUS_OFFLINE_WAIT_REVIEW: 'published',
  API_STATUS_STOPPED: 'offline',
  API_STATUS_RECOVER_WAIT_REVIEW: 'offline',
  API_STATUS_OFFLINE: 'offline',
  已下线: 'offline',
  已停用: 'offline',
};

const POSITION: Record<string, ApiParameter['location']> = {
  REQUEST_PARAMETER_POSITION_PATH: 'path',
  REQUEST_PARAMETER_POSITION_QUERY: 'query',
  REQUEST_PARAMETER_POSITION_HEADER: 'header',
  REQUEST_PARAMETER_POSITION_BODY: 'body',
  PATH: 'path',
  QUERY: 'query',
  HEADER: 'header',
  BODY: 'body',
};

/** Fields of a request parameter that the model holds; the others go to vendorExtras. */
const MAPPED_PARAMETER_FIELDS = new Set(['name', 'position', 'type', 'necessary', 'default_value', 'example_value', 'description']);
const MAPPED_RESPONSE_FIELDS = new Set(['name', 'type', 'description', 'example_value']);

function vendorWord(value: string | null, prefix: RegExp): string | null {
  return value === null ? null : value.replace(prefix, '');
}

function parameterType(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.replace(/^REQUEST_PARAMETER_TYPE_/, '').toLowerCase() : null;
}

function nonEmpty(value: unknown): JsonValue {
  if (value === undefined || value === null || value === '') return null;
  return value as JsonValue;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Maps one row of the export to the cross-cloud document (the table in
 * docs/catalog-model/huawei.dataarts.dataservice.md). What the model has no field for stays under
 * `vendorExtras` with the vendor's field names; columns the connector does not know stay under
 * `vendorExtras.columns` by header. Nothing of the export itself (workbook, sheet, row, export
 * time) enters the document: moving between workbooks is not a change.
 */
export function mapApiRow(row: ApiRow): MappedApi {
  const { cells } = row;
  const get = (key: ColumnKey) => cellText(cells.get(key));
  const fail = (code: string, what: string) => new ArtifactFormatError(code, `${row.where}: ${what}`, row.artifact);
  const jsonList = (key: ColumnKey, header: string): JsonValue[] => {
    const raw = get(key);
    if (raw === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw fail('BAD_API_CELL', `column "${header}" is not JSON`);
    }
    if (!Array.isArray(parsed)) throw fail('BAD_API_CELL', `column "${header}" is not a JSON list`);
    if (jsonDepthExceeds(parsed)) throw fail('BAD_API_CELL', `column "${header}" ${tooDeepReason()}`);
    return parsed as JsonValue[];
  };

  const name = get('name');
  if (name === null) throw fail('MISSING_API_NAME', 'the row has no API name');
  const method = vendorWord(get('request_type'), /^REQUEST_TYPE_/i)?.toUpperCase() ?? null;
  const path = get('path');
  const id = get('id');

  const extras: JsonObject = {};
  const keep = (key: string, value: JsonValue) => {
    if (value !== null && !(Array.isArray(value) && value.length === 0)) extras[key] = value;
  };
  keep('api_type', get('api_type') ?? row.sheetApiType ?? null);
  keep('visibility', get('visibility'));
  keep('manager', get('manager'));
  keep('log_flag', cellBoolean(cells.get('log_flag')));
  keep('retention_period', cellNumber(cells.get('retention_period')));
  keep('status', get('status'));
  keep('authorization_status', get('authorization_status'));

  // Request parameters.
  const parameters: ApiParameter[] = [];
  const parameterExtras: JsonObject = {};
  const unplaced: JsonValue[] = [];
  for (const item of jsonList('request_paras', 'Request Parameters')) {
    if (!isJsonObject(item) || typeof item.name !== 'string') throw fail('BAD_API_CELL', 'a request parameter has no name');
    const location = POSITION[String(item.position ?? '')];
    if (!location) {
      unplaced.push(item);
      continue;
    }
    parameters.push({
      name: item.name,
      location,
      type: parameterType(item.type),
      required: item.necessary === true || item.necessary === 'true',
      default: nonEmpty(item.default_value),
      example: nonEmpty(item.example_value),
      description: text(item.description),
    });
    const rest = Object.fromEntries(Object.entries(item).filter(([field]) => !MAPPED_PARAMETER_FIELDS.has(field)));
    if (Object.keys(rest).length > 0) parameterExtras[`${location}:${item.name}`] = rest;
  }
  keep('parameter_extras', Object.keys(parameterExtras).length > 0 ? parameterExtras : null);
  keep('unplaced_request_paras', unplaced);

  // Response fields (configuration APIs bind them to table fields).
  const responseFields: ApiResponseField[] = [];
  const responseExtras: JsonObject = {};
  for (const item of jsonList('response_paras', 'Response Parameters')) {
    if (!isJsonObject(item) || typeof item.name !== 'string') throw fail('BAD_API_CELL', 'a response parameter has no name');
    responseFields.push({ name: item.name, type: parameterType(item.type), description: text(item.description), example: nonEmpty(item.example_value) });
    const rest = Object.fromEntries(Object.entries(item).filter(([field]) => !MAPPED_RESPONSE_FIELDS.has(field)));
    if (Object.keys(rest).length > 0) responseExtras[item.name] = rest;
  }
  responseFields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  keep('response_field_extras', Object.keys(responseExtras).length > 0 ? responseExtras : null);

  // Backend: a data source, a Groovy script over data sources, or a registered HTTP service.
  let backend: ApiBackend | null = null;
  const datasourceType = get('datasource_type');
  const groovy = get('groovy_content');
  const backendHost = get('backend_host');
  if (datasourceType !== null || get('connection_name') !== null || get('datatable') !== null) {
    backend = {
      type: 'datasource',
      datasourceType,
      connection: get('connection_name'),
      database: get('database'),
      table: get('datatable'),
      sql: get('sql'),
    };
    const datasource: JsonObject = {};
    for (const [key, field] of [
      ['connection_id', 'connection_id'],
      ['queue', 'queue'],
      ['access_mode', 'access_mode'],
      ['pagination', 'pagination'],
    ] as const) {
      const value = get(field);
      if (value !== null) datasource[key] = value;
    }
    const mappings = jsonList('parameter_mappings', 'Parameter Mappings');
    const order = jsonList('order_paras', 'Order Parameters');
    if (mappings.length > 0) datasource.backend_paras = mappings;
    if (order.length > 0) datasource.order_paras = order;
    keep('datasource_config', Object.keys(datasource).length > 0 ? datasource : null);
  } else if (groovy !== null) {
    const sources = jsonList('datasource_config_list', 'Data Sources');
    backend = {
      type: 'script',
      language: 'groovy',
      script: groovy,
      datasources: sources.map((s) => (isJsonObject(s) && typeof s.connection_name === 'string' ? s.connection_name : '')).filter(Boolean),
    };
    keep('datasource_config_list', sources);
  } else if (backendHost !== null) {
    const scheme = vendorWord(get('backend_protocol'), /^PROTOCOL_TYPE_/i)?.toLowerCase() ?? null;
    backend = {
      type: 'http',
      address: scheme ? `${scheme}://${backendHost}` : backendHost,
      method: vendorWord(get('backend_method'), /^REQUEST_TYPE_/i)?.toUpperCase() ?? null,
      path: get('backend_path'),
      timeoutMs: cellNumber(cells.get('backend_timeout')),
      vpc: false,
    };
    const backendExtras: JsonObject = {};
    const paras = jsonList('backend_paras', 'Backend Parameters');
    const constants = jsonList('constant_paras', 'Constant Parameters');
    if (paras.length > 0) backendExtras.backend_paras = paras;
    if (constants.length > 0) backendExtras.constant_paras = constants;
    keep('backend_config', Object.keys(backendExtras).length > 0 ? backendExtras : null);
  }

  // Times: an unreadable one keeps its text, so a format change is visible rather than lost.
  const instant = (key: 'create_time' | 'update_time'): string | null => {
    const value = cellInstant(cells.get(key));
    if (value === undefined) {
      keep(`${key}_text`, cellJson(cells.get(key)));
      return null;
    }
    return value;
  };
  const createdAt = instant('create_time');
  const updatedAt = instant('update_time');

  if (row.unknown.length > 0) extras.columns = Object.fromEntries(row.unknown.map(([header, value]) => [header, cellJson(value)]));

  const tags = [...new Set((get('tags') ?? '').split(/[,，;；]/).map((tag) => tag.trim()).filter(Boolean))].sort();
  const protocols = [
    ...new Set(
      (get('protocol') ?? '')
        .split(/[,/\s]+/)
        .filter(Boolean)
        .map((p) => p.replace(/^PROTOCOL_TYPE_/i, '').toLowerCase()),
    ),
  ].sort();
  const status = get('status');

  const document: ApiDocument = {
    vendor: 'huawei',
    service: 'dataarts.dataservice',
    name,
    method,
    path,
    protocols,
    description: get('description'),
    tags,
    status: status === null ? 'unknown' : (STATUS[status] ?? 'unknown'),
    authType: get('auth_type')?.toLowerCase() ?? null,
    group: get('catalog_path'),
    parameters: sortParameters(parameters),
    responseFields,
    backend,
    owner: get('create_user'),
    createdAt,
    updatedAt,
    vendorExtras: extras,
  };
  // Without an id column (a hand-made workbook), the method and path identify the API in its workspace.
  const externalId = id ?? `${method ?? 'ANY'} ${path ?? name}`;
  return { externalId, name, document };
}
