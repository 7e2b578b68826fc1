import {
  API_MODES,
  CONTENT_TYPES,
  DETAILS_FIELD_BY_MODE,
  PARAMETER_DATA_TYPES,
  PARAMETER_OPERATORS,
  PARAMETER_POSITIONS,
  PROTOCOLS,
  REQUEST_METHODS,
  STATUSES,
  VISIBLE_RANGES,
  type DataWorksApi,
  type DataWorksConnection,
  type DataWorksErrorCode,
  type DataWorksRequestParameter,
  type DataWorksResponseParameter,
  type RegistrationDetails,
  type ScriptDetails,
  type WizardDetails,
} from './dataworks-api.js';

/** A bad API definition; `field` names the parameter at fault, for the vendor's error message. */
export class DataWorksInputError extends Error {
  override readonly name = 'DataWorksInputError';

  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`${field}: ${why}`);
  }
}

/** The vendor's rule for API names: 4 to 50 letters, Chinese characters, digits or `_`, starting with a letter or a Chinese character. */
export const API_NAME_PATTERN = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]{3,49}$/;
/** `(0, 30000]` ms, as CreateDataServiceApi documents. */
export const MAX_TIMEOUT_MS = 30_000;

type Loose = Record<string, unknown>;

/**
 * The details JSON of CreateDataServiceApi uses lower camel case (`wizardRequestParameters`,
 * `isPagedResponse`), the listing upper camel case: a key is looked up either way.
 */
function field(object: Loose, name: string): unknown {
  if (name in object) return object[name];
  const lower = name[0].toLowerCase() + name.slice(1);
  return object[lower];
}

/** `WizardDetails.WizardConnection` inside details, the bare name at the top level. */
function at(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(object: Loose, name: string, path: string, fallback = ''): string {
  const value = field(object, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new DataWorksInputError(at(path, name), 'must be a string');
  return value;
}

function integer(object: Loose, name: string, path: string, allowed?: readonly number[], fallback?: number): number {
  const raw = field(object, name);
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new DataWorksInputError(at(path, name), 'is required');
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new DataWorksInputError(at(path, name), 'must be an integer');
  if (allowed && !allowed.includes(value)) throw new DataWorksInputError(at(path, name), `must be one of ${allowed.join(', ')}`);
  return value;
}

function bool(object: Loose, name: string, path: string, fallback: boolean): boolean {
  const value = field(object, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new DataWorksInputError(at(path, name), 'must be true or false');
}

function list<T>(object: Loose, name: string, path: string, item: (value: Loose, path: string) => T): T[] {
  const value = field(object, name);
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((entry, i) => {
    if (!isObject(entry)) throw new DataWorksInputError(`${at(path, name)}[${i}]`, 'must be an object');
    return item(entry, `${at(path, name)}[${i}]`);
  });
}

function requestParameter(value: Loose, path: string): DataWorksRequestParameter {
  const name = text(value, 'ParameterName', path);
  if (name === '') throw new DataWorksInputError(`${path}.ParameterName`, 'must not be empty');
  return {
    ColumnName: text(value, 'ColumnName', path),
    ParameterName: name,
    ParameterPosition: integer(value, 'ParameterPosition', path, PARAMETER_POSITIONS, 1),
    ParameterDescription: text(value, 'ParameterDescription', path),
    DefaultValue: text(value, 'DefaultValue', path),
    ParameterOperator: integer(value, 'ParameterOperator', path, PARAMETER_OPERATORS, 0),
    ParameterDataType: integer(value, 'ParameterDataType', path, PARAMETER_DATA_TYPES, 0),
    ExampleValue: text(value, 'ExampleValue', path),
    IsRequiredParameter: bool(value, 'IsRequiredParameter', path, false),
  };
}

function responseParameter(value: Loose, path: string): DataWorksResponseParameter {
  return {
    ParameterDescription: text(value, 'ParameterDescription', path),
    ColumnName: text(value, 'ColumnName', path),
    ParameterName: text(value, 'ParameterName', path),
    ParameterDataType: integer(value, 'ParameterDataType', path, PARAMETER_DATA_TYPES, 0),
    ExampleValue: text(value, 'ExampleValue', path),
  };
}

function errorCode(value: Loose, path: string): DataWorksErrorCode {
  return {
    ErrorMessage: text(value, 'ErrorMessage', path),
    ErrorCode: text(value, 'ErrorCode', path),
    ErrorSolution: text(value, 'ErrorSolution', path),
  };
}

function connection(object: Loose, name: string, path: string): DataWorksConnection {
  const value = field(object, name);
  if (!isObject(value)) throw new DataWorksInputError(at(path, name), 'is required (an object with ConnectionId and TableName)');
  return { TableName: text(value, 'TableName', at(path, name)), ConnectionId: integer(value, 'ConnectionId', at(path, name)) };
}

function wizardDetails(value: Loose, path: string): WizardDetails {
  return {
    IsPagedResponse: bool(value, 'IsPagedResponse', path, false),
    WizardRequestParameters: list(value, 'WizardRequestParameters', path, requestParameter),
    WizardResponseParameters: list(value, 'WizardResponseParameters', path, responseParameter),
    WizardConnection: connection(value, 'WizardConnection', path),
  };
}

function scriptDetails(value: Loose, path: string): ScriptDetails {
  const script = text(value, 'Script', path);
  if (script.trim() === '') throw new DataWorksInputError(`${path}.Script`, 'must not be empty');
  return {
    Script: script,
    IsPagedResponse: bool(value, 'IsPagedResponse', path, false),
    ScriptRequestParameters: list(value, 'ScriptRequestParameters', path, requestParameter),
    ScriptResponseParameters: list(value, 'ScriptResponseParameters', path, responseParameter),
    ScriptConnection: connection(value, 'ScriptConnection', path),
  };
}

function registrationDetails(value: Loose, path: string): RegistrationDetails {
  const host = text(value, 'ServiceHost', path);
  if (!/^https?:\/\/[^\s/]+$/.test(host)) throw new DataWorksInputError(`${path}.ServiceHost`, 'must be http(s)://host[:port]');
  return {
    ServiceHost: host,
    ServiceContentType: integer(value, 'ServiceContentType', path, CONTENT_TYPES, 0),
    ServicePath: text(value, 'ServicePath', path, '/'),
    SuccessfulResultSample: text(value, 'SuccessfulResultSample', path),
    FailedResultSample: text(value, 'FailedResultSample', path),
    ServiceRequestBodyDescription: text(value, 'ServiceRequestBodyDescription', path),
    RegistrationErrorCodes: list(value, 'RegistrationErrorCodes', path, errorCode),
    RegistrationRequestParameters: list(value, 'RegistrationRequestParameters', path, requestParameter),
  };
}

const DETAILS_READERS = [wizardDetails, scriptDetails, registrationDetails] as const;

/** Details given as a JSON string (CreateDataServiceApi) or as an object (the control API). */
export function readDetails(mode: number, raw: unknown, path: string): WizardDetails | ScriptDetails | RegistrationDetails {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new DataWorksInputError(path, 'is not valid JSON');
    }
  }
  if (!isObject(value)) throw new DataWorksInputError(path, `is required for ApiMode ${mode} (a JSON object)`);
  return DETAILS_READERS[mode](value, path);
}

/** `"0,1"` (CreateDataServiceApi), `[0, 1]` or `0`. */
export function readProtocols(raw: unknown): number[] {
  const items = typeof raw === 'string' ? raw.split(',').map((part) => part.trim()) : Array.isArray(raw) ? raw : [raw];
  const values = items.map((item) => (typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item));
  if (values.length === 0 || values.some((v) => typeof v !== 'number' || !(PROTOCOLS as readonly number[]).includes(v))) {
    throw new DataWorksInputError('Protocols', 'must list 0 (HTTP) and/or 1 (HTTPS)');
  }
  return [...new Set(values as number[])].sort();
}

/** What defines an API, before the simulator gives it an id, an owner and timestamps. */
export type DataWorksApiDefinition = Omit<DataWorksApi, 'ApiId' | 'ProjectId' | 'TenantId' | 'CreatorId' | 'OperatorId' | 'CreatedTime' | 'ModifiedTime'>;

/**
 * Reads an API definition in either spelling: CreateDataServiceApi's parameters (strings,
 * `ApiDescription`, details as JSON strings) or the listing's own shape (the control API).
 */
export function readApiDefinition(input: Loose): DataWorksApiDefinition {
  const name = text(input, 'ApiName', '');
  if (!API_NAME_PATTERN.test(name)) {
    throw new DataWorksInputError('ApiName', '4 to 50 letters, Chinese characters, digits or underscores, starting with a letter or a Chinese character');
  }
  const path = text(input, 'ApiPath', '');
  if (!/^\/[^\s?#]*$/.test(path)) throw new DataWorksInputError('ApiPath', 'must start with / and hold no spaces, ? or #');
  const mode = integer(input, 'ApiMode', '', API_MODES);
  const method = integer(input, 'RequestMethod', '', REQUEST_METHODS);
  if (mode !== 2 && method > 1) throw new DataWorksInputError('RequestMethod', 'wizard and script APIs support GET (0) and POST (1) only');
  const contentType = integer(input, 'ResponseContentType', '', CONTENT_TYPES, 0);
  if (mode !== 2 && contentType !== 0) throw new DataWorksInputError('ResponseContentType', 'wizard and script APIs answer JSON (0) only');
  const timeout = integer(input, 'Timeout', '');
  if (timeout <= 0 || timeout > MAX_TIMEOUT_MS) throw new DataWorksInputError('Timeout', `must be in (0, ${MAX_TIMEOUT_MS}] ms`);
  const groupId = text(input, 'GroupId', '');
  if (groupId === '') throw new DataWorksInputError('GroupId', 'is required');
  const description = typeof input.ApiDescription === 'string' ? input.ApiDescription : text(input, 'Description', '');

  const definition: DataWorksApiDefinition = {
    Timeout: timeout,
    Status: integer(input, 'Status', '', STATUSES, 0),
    ApiMode: mode,
    ResponseContentType: contentType,
    VisibleRange: integer(input, 'VisibleRange', '', VISIBLE_RANGES, 0),
    GroupId: groupId,
    Description: description,
    FolderId: integer(input, 'FolderId', '', undefined, 0),
    RequestMethod: method,
    ApiName: name,
    ApiPath: path,
    Protocols: readProtocols(input.Protocols ?? '0'),
  };
  const detailsField = DETAILS_FIELD_BY_MODE[mode];
  for (const other of DETAILS_FIELD_BY_MODE) {
    if (other !== detailsField && input[other] !== undefined && input[other] !== '') {
      throw new DataWorksInputError(other, `does not go with ApiMode ${mode}, which takes ${detailsField}`);
    }
  }
  const details = readDetails(mode, input[detailsField], detailsField);
  return { ...definition, [detailsField]: details } as DataWorksApiDefinition;
}
