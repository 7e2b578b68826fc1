import type { JsonObject } from '#catalog-model';

/**
 * The API Gateway estate of one dedicated instance, as the simulator holds it. Field names follow
 * the APIG management API (ListApisV2, ListApiGroupsV2...) where it has one, so that the listings
 * render them directly; the export renders them as OpenAPI with the `x-apigateway-*` extensions
 * (VENDORS.md section 2).
 */

export const APIG_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type ApigMethod = (typeof APIG_METHODS)[number];

/** APP = AppSigv1 signature (optionally AppCode in a header), IAM, none, or a custom authorizer. */
export const APIG_AUTH_TYPES = ['APP', 'IAM', 'NONE', 'AUTHORIZER'] as const;
export type ApigAuthType = (typeof APIG_AUTH_TYPES)[number];

export const APIG_PROTOCOLS = ['HTTP', 'HTTPS', 'BOTH'] as const;
export type ApigProtocol = (typeof APIG_PROTOCOLS)[number];

export const APIG_PARAMETER_LOCATIONS = ['PATH', 'QUERY', 'HEADER'] as const;
export type ApigParameterLocation = (typeof APIG_PARAMETER_LOCATIONS)[number];

export const APIG_PARAMETER_TYPES = ['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN'] as const;
export type ApigParameterType = (typeof APIG_PARAMETER_TYPES)[number];

export interface ApigRequestParameter {
  name: string;
  location: ApigParameterLocation;
  type: ApigParameterType;
  required: boolean;
  defaultValue?: string | number | boolean;
  description?: string;
  /** Whether the gateway passes the parameter on to the backend as received. */
  passThrough: boolean;
  /** Names of the parameter orchestration rules applied to it. */
  orchestrations?: string[];
}

/** A JSON request body, described by a named schema (rendered under definitions / components.schemas). */
export interface ApigRequestBody {
  description: string;
  required: boolean;
  schemaName: string;
  schema: JsonObject;
}

export interface ApigBackendParameter {
  name: string;
  value: string;
  location: ApigParameterLocation;
  /** REQUEST: mapped from a request parameter named `value`; CONSTANT: `value` itself; SYSTEM: a gateway variable. */
  origin: 'REQUEST' | 'CONSTANT' | 'SYSTEM';
  description?: string;
}

interface ApigHttpTarget {
  scheme: 'http' | 'https';
  method: Exclude<ApigMethod, 'ANY'> | 'ANY';
  path: string;
  /** ms */
  timeout: number;
  /** The vendor spells it as a string ("-1" = the gateway default). */
  retryCount: string;
  description: string;
  enableClientSsl: boolean;
  enableSmChannel: boolean;
}

export type ApigBackend =
  | ({ type: 'HTTP'; address: string } & ApigHttpTarget)
  | ({ type: 'HTTP-VPC'; vpcChannelName: string } & ApigHttpTarget)
  | {
      type: 'FUNCTION';
      functionUrn: string;
      aliasUrn: string;
      version: string;
      invocationType: 'sync' | 'async';
      networkType: 'V1' | 'V2';
      reqProtocol: 'HTTPS' | 'GRPCS';
      timeout: number;
    }
  | { type: 'MOCK'; resultContent: string };

export type ApigBackendType = ApigBackend['type'];

export interface ApigPolicyCondition {
  type: 'equal' | 'enum' | 'pattern';
  value: string;
  origin: 'source' | 'request_parameter';
  parameterName?: string;
}

/** A conditional backend: requests matching every condition go to this backend instead. */
export interface ApigBackendPolicy {
  name: string;
  backend: ApigBackend;
  parameters: ApigBackendParameter[];
  conditions: ApigPolicyCondition[];
}

/** What the `responses` of an exported operation hold. */
export type ApigResponses =
  /** The vendor's `{}`: no response defined (APIs imported from a spec without responses). */
  | { kind: 'empty' }
  /** `default` with `x-apigateway-result-normal-sample` / `-failure-sample` when set. */
  | { kind: 'default'; normalSample?: string; failureSample?: string };

export interface ApigApi {
  /** 32 hex digits, like the vendor's ids. Never exported: the export has no API id. */
  id: string;
  groupId: string;
  /** Rendered as the operationId; console-created APIs are named `API_xxxxxxxx` by default. */
  name: string;
  method: ApigMethod;
  path: string;
  matchMode: 'NORMAL' | 'SWA';
  protocol: ApigProtocol;
  requestType: 'public' | 'private';
  authType: ApigAuthType;
  /** AUTHORIZER only. */
  authorizerId?: string;
  /** APP only: AppCode accepted in a header as well (`apig-auth-app-header`). */
  appCodeAuth?: boolean;
  description: string;
  tags: string[];
  cors: boolean;
  sendFgBodyBase64: boolean;
  parameters: ApigRequestParameter[];
  body?: ApigRequestBody;
  responses: ApigResponses;
  /** Absent for a republished spec that carries no backend (still a valid API). */
  backend?: ApigBackend;
  backendParameters: ApigBackendParameter[];
  backendPolicies: ApigBackendPolicy[];
  registerTime: string;
  updateTime: string;
}

/** An API published in an environment, with the policies bound to it there. */
export interface ApigPublication {
  apiId: string;
  envId: string;
  publishId: string;
  publishTime: string;
  /** Name of the request throttling policy bound in this environment. */
  throttle?: string;
  /** Name of the access control policy bound in this environment. */
  acl?: string;
}

export interface ApigThrottleSpecial {
  type: 'APP' | 'USER';
  limit: number;
  instance: string;
}

export interface ApigThrottle {
  name: string;
  apiLimit: number;
  userLimit?: number;
  appLimit?: number;
  ipLimit?: number;
  interval: number;
  unit: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
  shared: boolean;
  special: ApigThrottleSpecial[];
}

export interface ApigAcl {
  name: string;
  aclType: 'PERMIT' | 'DENY';
  entityType: 'IP' | 'DOMAIN';
  /** Comma-separated addresses or domains, as the vendor writes them. */
  value: string;
}

export interface ApigAuthorizer {
  id: string;
  name: string;
  type: 'FRONTEND';
  authorizerType: 'FUNC';
  authorizerUri: string;
  authorizerVersion: string;
  authorizerAliasUri: string;
  networkType: 'V1' | 'V2';
  needBody: boolean;
  timeout: number;
  ttl: number;
  retryAttempts: number;
  authDowngradeEnabled: boolean;
  identities: { name: string; location: 'HEADER' | 'QUERY'; validation: string }[];
}

export interface ApigGroup {
  id: string;
  name: string;
  remark: string;
  /** The subdomain APIG allocates to the group; the export's `host` / `servers` when no domain is bound. */
  slDomain: string;
  /** Independent domains bound to the group. */
  urlDomains: string[];
  /**
   * OAS 3.0 exports of this group write the placeholder `$APIG_GROUP_ENTRY_URL` as their server
   * instead of a URL, as some real exports do (our model of it: a per-group trait).
   */
  entryUrlPlaceholder: boolean;
  registerTime: string;
  updateTime: string;
}

export interface ApigEnvironment {
  id: string;
  name: string;
  remark: string;
  createTime: string;
}

/** The id of the environment every instance has, as the vendor spells it. */
export const RELEASE_ENV_ID = 'DEFAULT_ENVIRONMENT_RELEASE_ID';
export const RELEASE_ENV_NAME = 'RELEASE';
