import type { JsonObject, JsonValue } from './json.js';

/**
 * The cross-cloud shape of an API in the catalog: every connector that yields `kind: 'api'`
 * entries builds this document, so one query, one diff and one search work for all vendors.
 * What a vendor has beyond it stays, untouched, under `vendorExtras`. Types are `type` aliases
 * (not interfaces) so that they are assignable to JsonObject; absent values are `null`, never
 * `undefined`, so canonical JSON and content hashes stay stable.
 */

export type ApiVendor = 'huawei' | 'alibaba';

/** Lifecycle, mapped from each vendor's own words (docs/catalog-model.md has the tables). */
export type ApiStatus = 'published' | 'unpublished' | 'developing' | 'deployed' | 'offline' | 'unknown';

export type ParameterLocation = 'path' | 'query' | 'header' | 'body' | 'form' | 'cookie';

export type ApiParameter = {
  name: string;
  location: ParameterLocation;
  /** Vendor type in lower case where it is a scalar: string, number, integer, long, float, double, boolean, object, array. */
  type: string | null;
  required: boolean;
  default: JsonValue;
  example: JsonValue;
  description: string | null;
};

export type ApiResponseField = {
  name: string;
  type: string | null;
  description: string | null;
  example: JsonValue;
};

export type ApiBackend =
  | { type: 'http'; address: string | null; method: string | null; path: string | null; timeoutMs: number | null; vpc: boolean }
  | {
      type: 'datasource';
      datasourceType: string | null;
      connection: string | null;
      database: string | null;
      table: string | null;
      sql: string | null;
    }
  | { type: 'function'; functionUrn: string | null; version: string | null; invocation: string | null; timeoutMs: number | null }
  | { type: 'mock'; status: number | null; body: string | null }
  | { type: 'script'; language: string | null; script: string | null; datasources: string[] };

export type ApiDocument = {
  vendor: ApiVendor;
  /** The vendor service, e.g. `apig`, `roma.livedata`, `dataarts.dataservice`, `dataworks.dataservice`. */
  service: string;
  name: string;
  /** Upper-case HTTP method, or null when the vendor has none (ANY is kept as `ANY`). */
  method: string | null;
  path: string | null;
  /** Lower case: http, https. */
  protocols: string[];
  description: string | null;
  tags: string[];
  status: ApiStatus;
  /** Lower case: app, iam, none, signature, custom, ... (the vendor word when it maps to none). */
  authType: string | null;
  /** API group, app, folder or project the API lives in, when the vendor has one. */
  group: string | null;
  parameters: ApiParameter[];
  responseFields: ApiResponseField[];
  backend: ApiBackend | null;
  owner: string | null;
  /** Vendor timestamps as ISO-8601 strings (never the export time: that is noise). */
  createdAt: string | null;
  updatedAt: string | null;
  /** Everything else the vendor said about the API, untouched apart from secret redaction. */
  vendorExtras: JsonObject;
};

/** Sorts parameters so that an export listing them in another order is not a change. */
export function sortParameters(parameters: ApiParameter[]): ApiParameter[] {
  return [...parameters].sort((a, b) => (a.location === b.location ? cmp(a.name, b.name) : cmp(a.location, b.location)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
