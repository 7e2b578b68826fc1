import {
  isJsonObject,
  sortParameters,
  type ApiBackend,
  type ApiDocument,
  type ApiParameter,
  type ApiResponseField,
  type ApiStatus,
  type JsonObject,
  type JsonValue,
  type ParameterLocation,
} from '#catalog-model';

/**
 * The vendor's integer enums, as its API reference and SDK models document them (VENDORS.md
 * section 5; the parameter enums were our decision there, since confirmed by the SDK model
 * comments). A value outside these tables is kept raw under vendorExtras, never guessed.
 */
const METHODS: Record<number, string> = { 0: 'GET', 1: 'POST', 2: 'PUT', 3: 'DELETE' };
const PROTOCOLS: Record<number, string> = { 0: 'http', 1: 'https' };
const STATUSES: Record<number, ApiStatus> = { 0: 'unpublished', 1: 'published' };
const API_MODES: Record<number, string> = { 0: 'wizard', 1: 'script', 2: 'registration' };
const VISIBLE_RANGES: Record<number, string> = { 0: 'workspace', 1: 'owner' };
const CONTENT_TYPES: Record<number, string> = { 0: 'json', 1: 'xml' };
const POSITIONS: Record<number, ParameterLocation> = { 0: 'path', 1: 'query', 2: 'header', 3: 'body' };
const OPERATORS: Record<number, string> = { 0: 'Equal', 1: 'Like', 2: 'Const', 3: 'In' };
/** 0-5 scalars; 6-11 the list form of each (the SDK's StringList ... BooleanList). */
const SCALAR_TYPES = ['string', 'integer', 'long', 'float', 'double', 'boolean'];
const LIST_TYPES = ['StringList', 'IntList', 'LongList', 'FloatList', 'DoubleList', 'BooleanList'];

/** Which details object each ApiMode carries, and the names of its lists. */
const DETAILS = {
  WizardDetails: { request: 'WizardRequestParameters', response: 'WizardResponseParameters', connection: 'WizardConnection' },
  ScriptDetails: { request: 'ScriptRequestParameters', response: 'ScriptResponseParameters', connection: 'ScriptConnection' },
  RegistrationDetails: { request: 'RegistrationRequestParameters', response: undefined, connection: undefined },
} as const;
type DetailsName = keyof typeof DETAILS;

/** Top-level fields the document or vendorExtras maps; any other field is kept under `vendorExtras.unknown`. */
const KNOWN_API_FIELDS = new Set([
  'ApiId',
  'ApiName',
  'ApiPath',
  'ApiMode',
  'RequestMethod',
  'Protocols',
  'Status',
  'Description',
  'GroupId',
  'CreatorId',
  'OperatorId',
  'CreatedTime',
  'ModifiedTime',
  'ProjectId',
  'TenantId',
  'FolderId',
  'Timeout',
  'VisibleRange',
  'ResponseContentType',
  'WizardDetails',
  'ScriptDetails',
  'RegistrationDetails',
]);
const MAPPED_REQUEST_FIELDS = new Set([
  'ParameterName',
  'ParameterPosition',
  'ParameterDataType',
  'IsRequiredParameter',
  'DefaultValue',
  'ExampleValue',
  'ParameterDescription',
  'ColumnName',
  'ParameterOperator',
]);
const MAPPED_RESPONSE_FIELDS = new Set(['ParameterName', 'ParameterDataType', 'ParameterDescription', 'ExampleValue', 'ColumnName']);

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function nonEmpty(value: JsonValue | undefined): JsonValue {
  return value === undefined || value === '' ? null : value;
}

function list(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function word(table: Record<number, string>, value: JsonValue | undefined): string | null {
  return typeof value === 'number' && table[value] !== undefined ? table[value] : null;
}

/** `2020-06-23T00:21:01+0800` (the vendor's format) -> ISO-8601 in UTC; undefined when unreadable. */
export function dataWorksInstant(value: JsonValue | undefined): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  const offset = match[3] === undefined ? '+08:00' : match[3] === 'Z' ? 'Z' : `${match[3].slice(0, 3)}:${match[3].slice(-2)}`;
  const instant = new Date(`${match[1]}T${match[2]}${offset}`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

function parameterType(dataType: JsonValue | undefined): string | null {
  if (typeof dataType !== 'number') return null;
  if (dataType >= 0 && dataType < SCALAR_TYPES.length) return SCALAR_TYPES[dataType];
  if (dataType >= 6 && dataType < 6 + LIST_TYPES.length) return 'array';
  return null;
}

/** What of a parameter the model has no field for: its table column, its operator, a list type's item type. */
function parameterExtra(item: JsonObject): JsonObject {
  const extra: JsonObject = {};
  const column = text(item.ColumnName);
  if (column !== null) extra.columnName = column;
  if (item.ParameterOperator !== undefined) extra.operator = word(OPERATORS, item.ParameterOperator) ?? item.ParameterOperator;
  const dataType = item.ParameterDataType;
  if (typeof dataType === 'number' && dataType >= 6 && dataType < 6 + LIST_TYPES.length) extra.dataType = LIST_TYPES[dataType - 6];
  else if (dataType !== undefined && parameterType(dataType) === null) extra.dataType = dataType;
  if (item.ParameterPosition !== undefined && word(POSITIONS, item.ParameterPosition) === null) extra.position = item.ParameterPosition;
  for (const [field, value] of Object.entries(item)) if (!MAPPED_REQUEST_FIELDS.has(field)) extra[field] = value;
  return extra;
}

function requestParameters(items: JsonValue[], extras: JsonObject): ApiParameter[] {
  const parameters: ApiParameter[] = [];
  const parameterExtras: JsonObject = {};
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    const name = typeof item.ParameterName === 'string' ? item.ParameterName : String(item.ParameterName ?? '');
    // An unknown position is kept raw in the extras; the model needs one, and query is where
    // wizard and script APIs take all their parameters.
    const location = word(POSITIONS, item.ParameterPosition) as ParameterLocation | null;
    const parameter: ApiParameter = {
      name,
      location: location ?? 'query',
      type: parameterType(item.ParameterDataType),
      required: item.IsRequiredParameter === true,
      default: nonEmpty(item.DefaultValue),
      example: nonEmpty(item.ExampleValue),
      description: text(item.ParameterDescription),
    };
    parameters.push(parameter);
    const extra = parameterExtra(item);
    if (Object.keys(extra).length > 0) parameterExtras[`${parameter.location}:${name}`] = extra;
  }
  if (Object.keys(parameterExtras).length > 0) extras.parameterExtras = parameterExtras;
  return sortParameters(parameters);
}

function responseFields(items: JsonValue[], extras: JsonObject): ApiResponseField[] {
  const fields: ApiResponseField[] = [];
  const fieldExtras: JsonObject = {};
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    const name = typeof item.ParameterName === 'string' ? item.ParameterName : String(item.ParameterName ?? '');
    fields.push({ name, type: parameterType(item.ParameterDataType), description: text(item.ParameterDescription), example: nonEmpty(item.ExampleValue) });
    const extra: JsonObject = {};
    const column = text(item.ColumnName);
    if (column !== null) extra.columnName = column;
    const dataType = item.ParameterDataType;
    if (typeof dataType === 'number' && dataType >= 6 && dataType < 6 + LIST_TYPES.length) extra.dataType = LIST_TYPES[dataType - 6];
    for (const [field, value] of Object.entries(item)) if (!MAPPED_RESPONSE_FIELDS.has(field)) extra[field] = value;
    if (Object.keys(extra).length > 0) fieldExtras[name] = extra;
  }
  if (Object.keys(fieldExtras).length > 0) extras.responseFieldExtras = fieldExtras;
  return fields.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The details object the API carries: the one its ApiMode names, else the first present. */
function detailsOf(api: JsonObject): [DetailsName, JsonObject] | undefined {
  const byMode = (['WizardDetails', 'ScriptDetails', 'RegistrationDetails'] as const)[typeof api.ApiMode === 'number' ? api.ApiMode : -1];
  const names: DetailsName[] = byMode ? [byMode, 'WizardDetails', 'ScriptDetails', 'RegistrationDetails'] : ['WizardDetails', 'ScriptDetails', 'RegistrationDetails'];
  for (const name of names) if (isJsonObject(api[name] ?? null)) return [name, api[name] as JsonObject];
  return undefined;
}

function backendOf(kind: DetailsName, details: JsonObject, extras: JsonObject): ApiBackend {
  if (kind === 'RegistrationDetails') {
    extras.serviceContentType = word(CONTENT_TYPES, details.ServiceContentType) ?? details.ServiceContentType ?? null;
    for (const [field, key] of [
      ['SuccessfulResultSample', 'successfulResultSample'],
      ['FailedResultSample', 'failedResultSample'],
      ['ServiceRequestBodyDescription', 'serviceRequestBodyDescription'],
    ] as const) {
      const value = text(details[field]);
      if (value !== null) extras[key] = value;
    }
    const errorCodes = list(details.RegistrationErrorCodes);
    if (errorCodes.length > 0) extras.errorCodes = errorCodes;
    return { type: 'http', address: text(details.ServiceHost), method: null, path: text(details.ServicePath), timeoutMs: null, vpc: false };
  }
  if (typeof details.IsPagedResponse === 'boolean') extras.isPagedResponse = details.IsPagedResponse;
  const connection = details[DETAILS[kind].connection];
  const connectionObject = isJsonObject(connection ?? null) ? (connection as JsonObject) : {};
  const connectionId = connectionObject.ConnectionId;
  return {
    type: 'datasource',
    datasourceType: null,
    connection: connectionId === undefined || connectionId === null || connectionId === '' ? null : String(connectionId),
    database: null,
    table: text(connectionObject.TableName),
    sql: kind === 'ScriptDetails' ? text(details.Script) : null,
  };
}

/** Fields of the details object that the mapping above does not use: kept under `unknown`. */
const KNOWN_DETAILS_FIELDS: Record<DetailsName, Set<string>> = {
  WizardDetails: new Set(['IsPagedResponse', 'WizardRequestParameters', 'WizardResponseParameters', 'WizardConnection']),
  ScriptDetails: new Set(['IsPagedResponse', 'Script', 'ScriptRequestParameters', 'ScriptResponseParameters', 'ScriptConnection']),
  RegistrationDetails: new Set([
    'ServiceHost',
    'ServiceContentType',
    'ServicePath',
    'SuccessfulResultSample',
    'FailedResultSample',
    'ServiceRequestBodyDescription',
    'RegistrationErrorCodes',
    'RegistrationRequestParameters',
  ]),
};

export interface MappedDataWorksApi {
  externalId: string;
  name: string;
  projectId: number | null;
  document: ApiDocument;
}

/**
 * Maps one API of a ListDataServiceApis page (already normalized by readDataWorksPage) to the
 * cross-cloud document: the table in docs/catalog-model/aliyun.dataworks.dataservice.md. Nothing
 * of the page itself (RequestId, page number) enters the document.
 */
export function mapDataWorksApi(api: JsonObject): MappedDataWorksApi {
  const extras: JsonObject = {};
  const keep = (key: string, value: JsonValue | undefined) => {
    if (value !== undefined && value !== null && value !== '') extras[key] = value;
  };
  keep('apiMode', word(API_MODES, api.ApiMode) ?? api.ApiMode);
  keep('projectId', api.ProjectId);
  keep('tenantId', api.TenantId);
  keep('folderId', api.FolderId);
  keep('timeoutMs', api.Timeout);
  keep('visibleRange', word(VISIBLE_RANGES, api.VisibleRange) ?? api.VisibleRange);
  keep('responseContentType', word(CONTENT_TYPES, api.ResponseContentType) ?? api.ResponseContentType);
  keep('operatorId', api.OperatorId);

  const method = word(METHODS, api.RequestMethod);
  if (method === null) keep('requestMethod', api.RequestMethod);
  const rawProtocols = list(api.Protocols);
  const protocols = [...new Set(rawProtocols.map((p) => word(PROTOCOLS, p)).filter((p): p is string => p !== null))].sort();
  if (protocols.length !== rawProtocols.length) keep('protocols', rawProtocols);
  const status = typeof api.Status === 'number' ? (STATUSES[api.Status] ?? 'unknown') : 'unknown';
  if (status === 'unknown') keep('status', api.Status);

  let parameters: ApiParameter[] = [];
  let fields: ApiResponseField[] = [];
  let backend: ApiBackend | null = null;
  const unknown: JsonObject = {};
  const found = detailsOf(api);
  if (found) {
    const [kind, details] = found;
    parameters = requestParameters(list(details[DETAILS[kind].request]), extras);
    const responseList = DETAILS[kind].response;
    if (responseList) fields = responseFields(list(details[responseList]), extras);
    backend = backendOf(kind, details, extras);
    for (const [field, value] of Object.entries(details)) if (!KNOWN_DETAILS_FIELDS[kind].has(field)) unknown[`${kind}.${field}`] = value;
  }
  for (const [field, value] of Object.entries(api)) if (!KNOWN_API_FIELDS.has(field)) unknown[field] = value;
  if (Object.keys(unknown).length > 0) extras.unknown = unknown;

  // Times: an unreadable one keeps its text, so a format change shows instead of being lost.
  const instant = (field: 'CreatedTime' | 'ModifiedTime'): string | null => {
    const value = dataWorksInstant(api[field]);
    if (value === undefined) {
      keep(`${field}Text`, api[field]);
      return null;
    }
    return value;
  };

  const name = api.ApiName as string;
  const document: ApiDocument = {
    vendor: 'alibaba',
    service: 'dataworks.dataservice',
    name,
    method,
    path: text(api.ApiPath),
    protocols,
    description: text(api.Description),
    tags: [],
    status,
    // DataService APIs are called through the DataWorks gateway with an app key; the listing says nothing per API.
    authType: null,
    group: text(api.GroupId),
    parameters,
    responseFields: fields,
    backend,
    owner: text(api.CreatorId),
    createdAt: instant('CreatedTime'),
    updatedAt: instant('ModifiedTime'),
    vendorExtras: extras,
  };
  return { externalId: String(api.ApiId), name, projectId: typeof api.ProjectId === 'number' ? api.ProjectId : null, document };
}
