/**
 * ROMA Connect custom backends ("livedata APIs"), as the simulator holds them (VENDORS.md
 * section 3). Scripts are held decoded; the export encodes them in base64 as the vendor does.
 */

/** `x-livedata-status` values (confirmed: DESIGNED, DEVELOPED, TESTED, DEPLOYED). */
export const LIVEDATA_STATUSES = ['DESIGNED', 'DEVELOPED', 'TESTED', 'DEPLOYED'] as const;
export type LiveDataStatus = (typeof LIVEDATA_STATUSES)[number];

/**
 * The numeric status of the API (export `status` filter, listing `status`). The vendor documents
 * 1 (pending development), 3 (developing) and 4 (deployed) only; which x-livedata-status each
 * covers is our decision: 1 DESIGNED, 3 DEVELOPED and TESTED, 4 DEPLOYED.
 */
export const LIVEDATA_STATUS_CODES: Record<LiveDataStatus, 1 | 3 | 4> = { DESIGNED: 1, DEVELOPED: 3, TESTED: 3, DEPLOYED: 4 };
export const FILTERABLE_STATUS_CODES = [1, 3, 4] as const;

/** `x-livedata-scripts[].type` (confirmed: function, SQL, SP). */
export const LIVEDATA_SCRIPT_TYPES = ['function', 'SQL', 'SP'] as const;
export type LiveDataScriptType = (typeof LIVEDATA_SCRIPT_TYPES)[number];

export const LIVEDATA_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type LiveDataMethod = (typeof LIVEDATA_METHODS)[number];

export const LIVEDATA_PARAMETER_LOCATIONS = ['query', 'header', 'path'] as const;
export const LIVEDATA_VALUE_TYPES = ['string', 'integer', 'number', 'boolean'] as const;
export type LiveDataValueType = (typeof LIVEDATA_VALUE_TYPES)[number];

export interface LiveDataScript {
  type: LiveDataScriptType;
  /** The script text (JavaScript for `function`, SQL otherwise), decoded. */
  content: string;
  /** The name of the object the script's result is returned under ('' for functions). */
  result: string;
  /** Names of the ROMA data sources the script reads. */
  datasources: string[];
}

export interface LiveDataParameter {
  name: string;
  in: (typeof LIVEDATA_PARAMETER_LOCATIONS)[number];
  type: LiveDataValueType;
  required: boolean;
  description: string;
  default?: string | number | boolean;
}

/** A field of the JSON body or of the answer. */
export interface LiveDataField {
  name: string;
  type: LiveDataValueType;
  description: string;
}

export interface LiveDataApi {
  /** 32 hex digits, as the vendor's backend API ids. */
  id: string;
  /** The integration application (RomaApp.id) the API belongs to. */
  appId: string;
  /** Unique in the instance (it is the export's operationId). */
  name: string;
  method: LiveDataMethod;
  /** Starts with `/`; method + path is unique in the instance. */
  path: string;
  description: string;
  version: string;
  status: LiveDataStatus;
  /** Id of the SignatureKey that signs calls to it, or null for none. */
  signatureId: string | null;
  parameters: LiveDataParameter[];
  /** Fields of the JSON request body (POST/PUT), or null for none. */
  requestBody: LiveDataField[] | null;
  responseFields: LiveDataField[];
  scripts: LiveDataScript[];
  /** ISO-8601; shown by the listing, not by the export. */
  createdAt: string;
  updatedAt: string;
}

/** An integration application. */
export interface RomaApp {
  /** A UUID, as the vendor's integration application ids. */
  id: string;
  name: string;
  remark: string;
  appKey: string;
  appSecret: string;
  createdAt: string;
  updatedAt: string;
}

/** A signature key: what `x-livedata-signature` carries, secret included. */
export interface SignatureKey {
  id: string;
  /** Names the security scheme in the export. */
  name: string;
  key: string;
  secret: string;
}

/** Every signature secret the simulator plants starts with this, so leaks are easy to grep for. */
export const PLANTED_ROMA_SECRET_PREFIX = 'SIMSECRET-ROMA-';

/** The simulator's ROMA Connect instance (UUID-shaped, as the vendor's). */
export const DEFAULT_ROMA_INSTANCE_ID = 'f0fa1789-3b76-433b-a787-9892951c620e';

/** Export cap (confirmed: "the maximum size of a target API definition file is 50 MB"). */
export const ROMA_EXPORT_MAX_BYTES = 50 * 1024 * 1024;
/** Import cap (confirmed: 3 MB). */
export const ROMA_IMPORT_MAX_BYTES = 3 * 1024 * 1024;

/**
 * What an export over the cap does. The vendor documents `truncate` ("the excess part will not
 * be exported"): whole APIs are left out, in export order, until the file fits. `error` answers
 * 400 instead.
 */
export type RomaExportOverflow = 'truncate' | 'error';
