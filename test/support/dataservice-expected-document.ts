import type { ApiDocument, JsonObject, JsonValue } from '#catalog-model';
import type { DataServiceApi } from '#vendor-sim';

/**
 * The catalog document a DataService API must become, built from the simulator's own object (not
 * from the workbook): the oracle for "every mapped field" (docs/catalog-model/huawei.dataarts.dataservice.md).
 * Secret values are `<redacted>` here; compare against a document passed through `maskRedactions`.
 */
const STATUS: Record<string, ApiDocument['status']> = {
  API_STATUS_PUBLISHED: 'published',
  API_STATUS_CREATED: 'unpublished',
  API_STATUS_PUBLISH_WAIT_REVIEW: 'unpublished',
  API_STATUS_PUBLISH_REJECT: 'unpublished',
  API_STATUS_WAITING_STOP: 'published',
  API_STATUS_WAITING_OFFLINE: 'published',
  API_STATUS_OFFLINE_WAIT_REVIEW: 'published',
  API_STATUS_STOPPED: 'offline',
  API_STATUS_RECOVER_WAIT_REVIEW: 'offline',
  API_STATUS_OFFLINE: 'offline',
};

const LOCATION = { REQUEST_PARAMETER_POSITION_PATH: 'path', REQUEST_PARAMETER_POSITION_QUERY: 'query', REQUEST_PARAMETER_POSITION_HEADER: 'header' } as const;
const SECRET_NAME = /secret|password|token|key$/i;

const lower = (type: string) => type.replace('REQUEST_PARAMETER_TYPE_', '').toLowerCase();
const orNull = (value: string | null | undefined): string | null => (value === '' || value === undefined ? null : value);
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function expectedDataServiceDocument(api: DataServiceApi): ApiDocument {
  const extras: JsonObject = { api_type: api.api_type, visibility: api.visibility };
  if (api.manager !== '') extras.manager = api.manager;
  extras.log_flag = api.log_flag;
  if (api.retention_period !== null) extras.retention_period = api.retention_period;
  extras.status = api.status;
  extras.authorization_status = api.authorization_status;
  if (api.request_paras.length > 0) {
    extras.parameter_extras = Object.fromEntries(api.request_paras.map((p) => [`${LOCATION[p.position]}:${p.name}`, { support_null: p.support_null }]));
  }
  const ds = api.datasource_config;
  if (ds && ds.response_paras.length > 0) extras.response_field_extras = Object.fromEntries(ds.response_paras.map((r) => [r.name, { field: r.field }]));

  let backend: ApiDocument['backend'] = null;
  if (ds) {
    backend = { type: 'datasource', datasourceType: ds.type, connection: ds.connection_name, database: ds.database, table: ds.datatable, sql: ds.sql };
    const datasource: JsonObject = { connection_id: ds.connection_id };
    if (ds.queue !== null) datasource.queue = ds.queue;
    datasource.access_mode = ds.access_mode;
    datasource.pagination = ds.pagination;
    if (ds.backend_paras.length > 0) datasource.backend_paras = ds.backend_paras as unknown as JsonValue;
    if (ds.order_paras.length > 0) datasource.order_paras = ds.order_paras as unknown as JsonValue;
    extras.datasource_config = datasource;
  } else if (api.groovy_content !== null) {
    backend = { type: 'script', language: 'groovy', script: api.groovy_content, datasources: api.datasource_config_list.map((c) => c.connection_name) };
    if (api.datasource_config_list.length > 0) extras.datasource_config_list = api.datasource_config_list as unknown as JsonValue;
  } else if (api.backend_config) {
    const b = api.backend_config;
    backend = {
      type: 'http',
      address: `${b.protocol.replace('PROTOCOL_TYPE_', '').toLowerCase()}://${b.host}`,
      method: b.type.replace('REQUEST_TYPE_', ''),
      path: b.path,
      timeoutMs: b.timeout,
      vpc: false,
    };
    const backendExtras: JsonObject = {};
    if (b.backend_paras.length > 0) backendExtras.backend_paras = b.backend_paras as unknown as JsonValue;
    if (b.constant_paras.length > 0) {
      backendExtras.constant_paras = b.constant_paras.map((c) => ({ ...c, value: SECRET_NAME.test(c.name) ? '<redacted>' : c.value }));
    }
    if (Object.keys(backendExtras).length > 0) extras.backend_config = backendExtras;
  }

  const locationOrder = (p: { location: string; name: string }) => `${p.location}\u0000${p.name}`;
  return {
    vendor: 'huawei',
    service: 'dataarts.dataservice',
    name: api.name,
    method: api.request_type.replace('REQUEST_TYPE_', ''),
    path: api.path,
    protocols: [api.protocol.replace('PROTOCOL_TYPE_', '').toLowerCase()],
    description: orNull(api.description),
    tags: [...new Set(api.tags)].sort(),
    status: STATUS[api.status],
    authType: api.auth_type.toLowerCase(),
    group: api.catalog_path,
    parameters: api.request_paras
      .map((p) => ({
        name: p.name,
        location: LOCATION[p.position],
        type: lower(p.type),
        required: p.necessary,
        default: orNull(p.default_value),
        example: orNull(p.example_value),
        description: orNull(p.description),
      }))
      .sort((a, b) => (locationOrder(a) < locationOrder(b) ? -1 : 1)),
    responseFields: (ds?.response_paras ?? [])
      .map((r) => ({ name: r.name, type: lower(r.type), description: orNull(r.description), example: orNull(r.example_value) }))
      .sort(byName),
    backend,
    owner: api.create_user,
    createdAt: new Date(api.create_time).toISOString(),
    updatedAt: new Date(api.update_time).toISOString(),
    vendorExtras: extras,
  };
}

/** Replaces every redaction marker by `<redacted>`, after checking it is a salted hash. */
export function maskRedactions(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(maskRedactions);
  if (value !== null && typeof value === 'object') {
    const marker = (value as JsonObject).$redacted;
    if (typeof marker === 'string' && Object.keys(value).length === 1) {
      if (!/^hmac-sha256:[0-9a-f]{64}$/.test(marker)) throw new Error(`unexpected redaction marker ${marker}`);
      return '<redacted>';
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskRedactions(v)]));
  }
  return value;
}
