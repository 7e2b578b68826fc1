/**
 * A DataWorks DataService Studio API in the development state, exactly as ListDataServiceApis
 * (API version 2020-05-18) returns it: field names, nesting and integer enums are the vendor's
 * (confirmed from the published SDK models, see VENDORS.md section 5 and
 * docs/vendor-sim/dataworks.md). The simulator stores APIs in this shape and renders them as is.
 */
export const DATAWORKS_API_VERSION = '2020-05-18';

/** ApiMode: 0 wizard, 1 script, 2 registration. */
export const API_MODES = [0, 1, 2] as const;
/** RequestMethod: 0 GET, 1 POST, 2 PUT, 3 DELETE (wizard and script APIs: GET and POST only). */
export const REQUEST_METHODS = [0, 1, 2, 3] as const;
/** ResponseContentType and ServiceContentType: 0 JSON, 1 XML (wizard and script APIs: JSON only). */
export const CONTENT_TYPES = [0, 1] as const;
/** Protocols: 0 HTTP, 1 HTTPS. */
export const PROTOCOLS = [0, 1] as const;
/** Status: 0 unpublished, 1 published. */
export const STATUSES = [0, 1] as const;
/** VisibleRange: 0 the workspace, 1 the owner only. */
export const VISIBLE_RANGES = [0, 1] as const;
/** ParameterDataType: 0 String, 1 Int, 2 Long, 3 Float, 4 Double, 5 Boolean, 6-11 the list forms of each. */
export const PARAMETER_DATA_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
/** ParameterPosition: 0 path, 1 query, 2 header, 3 body. */
export const PARAMETER_POSITIONS = [0, 1, 2, 3] as const;
/** ParameterOperator: 0 Equal, 1 Like, 2 Const, 3 In. */
export const PARAMETER_OPERATORS = [0, 1, 2, 3] as const;

export interface DataWorksRequestParameter {
  ColumnName: string;
  ParameterName: string;
  ParameterPosition: number;
  ParameterDescription: string;
  DefaultValue: string;
  ParameterOperator: number;
  ParameterDataType: number;
  ExampleValue: string;
  IsRequiredParameter: boolean;
}

export interface DataWorksResponseParameter {
  ParameterDescription: string;
  ColumnName: string;
  ParameterName: string;
  ParameterDataType: number;
  ExampleValue: string;
}

export interface DataWorksConnection {
  TableName: string;
  ConnectionId: number;
}

export interface DataWorksErrorCode {
  ErrorMessage: string;
  ErrorCode: string;
  ErrorSolution: string;
}

export interface WizardDetails {
  IsPagedResponse: boolean;
  WizardRequestParameters: DataWorksRequestParameter[];
  WizardResponseParameters: DataWorksResponseParameter[];
  WizardConnection: DataWorksConnection;
}

export interface ScriptDetails {
  Script: string;
  IsPagedResponse: boolean;
  ScriptRequestParameters: DataWorksRequestParameter[];
  ScriptResponseParameters: DataWorksResponseParameter[];
  ScriptConnection: DataWorksConnection;
}

export interface RegistrationDetails {
  ServiceHost: string;
  ServiceContentType: number;
  ServicePath: string;
  SuccessfulResultSample: string;
  FailedResultSample: string;
  ServiceRequestBodyDescription: string;
  RegistrationErrorCodes: DataWorksErrorCode[];
  RegistrationRequestParameters: DataWorksRequestParameter[];
}

/** Field order is the vendor's (its documentation and SDK models list them so). */
export interface DataWorksApi {
  Timeout: number;
  Status: number;
  ApiId: number;
  ApiMode: number;
  ProjectId: number;
  ResponseContentType: number;
  CreatorId: string;
  VisibleRange: number;
  /** `2020-06-23T00:21:01+0800`: China time, no colon in the offset. */
  ModifiedTime: string;
  OperatorId: string;
  GroupId: string;
  Description: string;
  FolderId: number;
  RequestMethod: number;
  CreatedTime: string;
  ApiName: string;
  TenantId: number;
  ApiPath: string;
  Protocols: number[];
  RegistrationDetails?: RegistrationDetails;
  ScriptDetails?: ScriptDetails;
  WizardDetails?: WizardDetails;
}

/** The order fields are rendered in. */
export const API_FIELD_ORDER: readonly (keyof DataWorksApi)[] = [
  'Timeout',
  'Status',
  'ApiId',
  'ApiMode',
  'ProjectId',
  'ResponseContentType',
  'CreatorId',
  'VisibleRange',
  'ModifiedTime',
  'OperatorId',
  'GroupId',
  'Description',
  'FolderId',
  'RequestMethod',
  'CreatedTime',
  'ApiName',
  'TenantId',
  'ApiPath',
  'Protocols',
  'RegistrationDetails',
  'ScriptDetails',
  'WizardDetails',
];

/** The details field each ApiMode carries. */
export const DETAILS_FIELD_BY_MODE = ['WizardDetails', 'ScriptDetails', 'RegistrationDetails'] as const;

const CHINA_OFFSET_MS = 8 * 3600_000;

/** `2020-06-23T00:21:01+0800`, the vendor's timestamp format (China Standard Time). */
export function formatDataWorksTime(date: Date): string {
  return `${new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+0800`;
}
