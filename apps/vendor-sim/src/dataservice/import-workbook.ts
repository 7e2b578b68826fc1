import ExcelJS from 'exceljs';
import { API_TYPES, type ApiType, type DataServiceApi, type DatasourceConfig } from './dataservice-api.js';
import { allColumns, SHEET_NAMES, type CellValue } from './workbook-layout.js';

/** One API row of an imported workbook: vendor field (dotted path) -> cell value. */
export interface ImportRow {
  sheet: string;
  row: number;
  /** The sheet's API type, from its name, for rows without an API Type cell. */
  sheetApiType: ApiType | undefined;
  fields: Map<string, CellValue>;
}

export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

const HEADER_TO_FIELD = new Map<string, string>(allColumns().flatMap((column) => [[column.en, column.field], [column.zh, column.field]] as [string, string][]));

const SHEET_TO_TYPE = new Map<string, ApiType>(API_TYPES.flatMap((type) => [[SHEET_NAMES[type].en, type], [SHEET_NAMES[type].zh, type]] as [string, ApiType][]));

function plainCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  if (typeof value === 'object' && 'result' in value) return plainCell(value.result as ExcelJS.CellValue);
  return String(value);
}

/**
 * The API rows of a workbook in the export layout (either locale). The whole workbook is loaded:
 * imports are under 4 MB, and the simulator is not what is being measured.
 */
export async function readImportWorkbook(file: Buffer): Promise<ImportRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch (error) {
    throw new ImportFileError(`The file is not a readable Excel workbook: ${(error as Error).message}`);
  }
  const rows: ImportRow[] = [];
  workbook.eachSheet((sheet) => {
    const header = sheet.getRow(1);
    const fieldByColumn = new Map<number, string>();
    header.eachCell((cell, column) => {
      const field = HEADER_TO_FIELD.get(String(plainCell(cell.value) ?? '').trim());
      if (field) fieldByColumn.set(column, field);
    });
    if (![...fieldByColumn.values()].includes('name')) return;
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      const fields = new Map<string, CellValue>();
      row.eachCell((cell, column) => {
        const field = fieldByColumn.get(column);
        if (field) fields.set(field, plainCell(cell.value));
      });
      if (fields.size > 0) rows.push({ sheet: sheet.name, row: number, sheetApiType: SHEET_TO_TYPE.get(sheet.name), fields });
    });
  });
  return rows;
}

function str(fields: Map<string, CellValue>, field: string): string | undefined {
  const value = fields.get(field);
  return value === undefined || value === null ? undefined : String(value);
}

function json<T>(fields: Map<string, CellValue>, field: string, where: string): T[] | undefined {
  const text = str(fields, field);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error('not a JSON array');
    return parsed as T[];
  } catch (error) {
    throw new ImportFileError(`${where}: ${field} is not a JSON array (${(error as Error).message})`);
  }
}

function bool(fields: Map<string, CellValue>, field: string): boolean | undefined {
  const value = fields.get(field);
  if (value === undefined || value === null) return undefined;
  return value === true || String(value).toLowerCase() === 'true';
}

function num(fields: Map<string, CellValue>, field: string): number | undefined {
  const value = fields.get(field);
  return value === undefined || value === null ? undefined : Number(value);
}

function datasourceFrom(fields: Map<string, CellValue>, base: DatasourceConfig | null, where: string): DatasourceConfig | null {
  const prefix = 'datasource_config.';
  if (![...fields.keys()].some((field) => field.startsWith(prefix)) && !base) return null;
  const value = (name: string) => str(fields, `${prefix}${name}`);
  return {
    type: (value('type') ?? base?.type ?? 'MYSQL') as DatasourceConfig['type'],
    connection_name: value('connection_name') ?? base?.connection_name ?? '',
    connection_id: value('connection_id') ?? base?.connection_id ?? '',
    database: value('database') ?? base?.database ?? '',
    datatable: value('datatable') ?? base?.datatable ?? '',
    queue: value('queue') ?? base?.queue ?? null,
    access_mode: (value('access_mode') ?? base?.access_mode ?? 'SQL') as DatasourceConfig['access_mode'],
    pagination: (value('pagination') ?? base?.pagination ?? 'DEFAULT') as DatasourceConfig['pagination'],
    sql: value('sql') ?? base?.sql ?? null,
    backend_paras: json(fields, `${prefix}backend_paras`, where) ?? base?.backend_paras ?? [],
    response_paras: json(fields, `${prefix}response_paras`, where) ?? base?.response_paras ?? [],
    order_paras: json(fields, `${prefix}order_paras`, where) ?? base?.order_paras ?? [],
  };
}

function backendFrom(fields: Map<string, CellValue>, base: DataServiceApi['backend_config'], where: string): DataServiceApi['backend_config'] {
  const prefix = 'backend_config.';
  if (![...fields.keys()].some((field) => field.startsWith(prefix)) && !base) return null;
  const value = (name: string) => str(fields, `${prefix}${name}`);
  return {
    type: (value('type') ?? base?.type ?? 'REQUEST_TYPE_GET') as NonNullable<DataServiceApi['backend_config']>['type'],
    protocol: (value('protocol') ?? base?.protocol ?? 'PROTOCOL_TYPE_HTTPS') as NonNullable<DataServiceApi['backend_config']>['protocol'],
    host: value('host') ?? base?.host ?? '',
    path: value('path') ?? base?.path ?? '/',
    timeout: num(fields, `${prefix}timeout`) ?? base?.timeout ?? 5000,
    backend_paras: json(fields, `${prefix}backend_paras`, where) ?? base?.backend_paras ?? [],
    constant_paras: json(fields, `${prefix}constant_paras`, where) ?? base?.constant_paras ?? [],
  };
}

/**
 * The API a row describes, over `base` (the API it updates) when there is one. Cells left empty
 * keep the base's value; a new API takes the vendor's defaults. `id` and the times are the
 * caller's: an import gives new APIs new ids and stamps the import time (the workbook's Created
 * and Updated cells are ignored, as the console does with read-only columns).
 */
export function apiFromImportRow(row: ImportRow, base: DataServiceApi | undefined, id: string, importedAt: number): DataServiceApi {
  const { fields } = row;
  const where = `sheet ${row.sheet}, row ${row.row}`;
  const tags = str(fields, 'tags');
  return {
    id,
    name: str(fields, 'name') ?? base?.name ?? '',
    description: str(fields, 'description') ?? base?.description ?? '',
    catalog_path: str(fields, 'catalog_path') ?? base?.catalog_path ?? '/',
    path: str(fields, 'path') ?? base?.path ?? '',
    protocol: (str(fields, 'protocol') ?? base?.protocol ?? 'PROTOCOL_TYPE_HTTPS') as DataServiceApi['protocol'],
    request_type: (str(fields, 'request_type') ?? base?.request_type ?? 'REQUEST_TYPE_GET') as DataServiceApi['request_type'],
    api_type: (str(fields, 'api_type') ?? base?.api_type ?? row.sheetApiType ?? 'API_SPECIFIC_TYPE_CONFIGURATION') as DataServiceApi['api_type'],
    auth_type: (str(fields, 'auth_type') ?? base?.auth_type ?? 'APP') as DataServiceApi['auth_type'],
    visibility: (str(fields, 'visibility') ?? base?.visibility ?? 'WORKSPACE') as DataServiceApi['visibility'],
    tags: tags !== undefined ? tags.split(/[,，]/).map((tag) => tag.trim()).filter(Boolean) : (base?.tags ?? []),
    manager: str(fields, 'manager') ?? base?.manager ?? '',
    log_flag: bool(fields, 'log_flag') ?? base?.log_flag ?? false,
    retention_period: num(fields, 'retention_period') ?? base?.retention_period ?? null,
    // An import creates or updates the definition; publishing is a separate step in the console.
    status: base?.status ?? 'API_STATUS_CREATED',
    authorization_status: (str(fields, 'authorization_status') ?? base?.authorization_status ?? 'UNAUTHORIZED') as DataServiceApi['authorization_status'],
    request_paras: json(fields, 'request_paras', where) ?? base?.request_paras ?? [],
    datasource_config: datasourceFrom(fields, base?.datasource_config ?? null, where),
    groovy_content: str(fields, 'groovy_content') ?? base?.groovy_content ?? null,
    datasource_config_list: json(fields, 'datasource_config_list', where) ?? base?.datasource_config_list ?? [],
    backend_config: backendFrom(fields, base?.backend_config ?? null, where),
    create_user: str(fields, 'create_user') ?? base?.create_user ?? 'import',
    create_time: base?.create_time ?? importedAt,
    update_time: importedAt,
  };
}
