import { z } from 'zod';
import {
  API_STATUSES,
  API_TYPES,
  AUTH_TYPES,
  AUTHORIZATION_STATUSES,
  DATASOURCE_TYPES,
  PARAMETER_POSITIONS,
  PARAMETER_TYPES,
  PROTOCOLS,
  REQUEST_TYPES,
  VISIBILITIES,
  type DataServiceApi,
} from './dataservice-api.js';

/**
 * What the simulator accepts as an API (from tests, the control API and imports). Stricter than
 * the vendor where a loose value would make the export ambiguous: tags may not hold commas,
 * because the workbook writes them comma-separated in one cell.
 */
const requestParaSchema = z.strictObject({
  name: z.string().min(1),
  position: z.enum(PARAMETER_POSITIONS),
  type: z.enum(PARAMETER_TYPES),
  description: z.string(),
  necessary: z.boolean(),
  example_value: z.string(),
  default_value: z.string(),
  support_null: z.boolean(),
});

const datasourceConfigSchema = z.strictObject({
  type: z.enum(DATASOURCE_TYPES),
  connection_name: z.string(),
  connection_id: z.string(),
  database: z.string(),
  datatable: z.string(),
  queue: z.string().nullable(),
  access_mode: z.enum(['SQL', 'ROW_KEY', 'PREFIX_FILTER']),
  pagination: z.enum(['DEFAULT', 'CUSTOM']),
  sql: z.string().nullable(),
  backend_paras: z.array(z.strictObject({ name: z.string().min(1), mapping: z.string(), condition: z.string() })),
  response_paras: z.array(
    z.strictObject({ name: z.string().min(1), field: z.string(), type: z.enum(PARAMETER_TYPES), description: z.string(), example_value: z.string() }),
  ),
  order_paras: z.array(
    z.strictObject({
      name: z.string().min(1),
      field: z.string(),
      optional: z.boolean(),
      sort: z.enum(['ASC', 'DESC', 'CUSTOM']),
      order: z.int(),
      description: z.string(),
    }),
  ),
});

const backendConfigSchema = z.strictObject({
  type: z.enum(REQUEST_TYPES),
  protocol: z.enum(PROTOCOLS),
  host: z.string().min(1),
  path: z.string().startsWith('/'),
  timeout: z.int().positive(),
  backend_paras: z.array(z.strictObject({ name: z.string().min(1), position: z.enum(PARAMETER_POSITIONS), backend_para_name: z.string().min(1) })),
  constant_paras: z.array(
    z.strictObject({ name: z.string().min(1), type: z.enum(PARAMETER_TYPES), position: z.enum(PARAMETER_POSITIONS), description: z.string(), value: z.string() }),
  ),
});

export const dataServiceApiSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex digits'),
  /** CreateApi: 3 to 64 characters, letters, digits and underscores, starting with a letter. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{2,63}$/, 'must be 3-64 letters, digits or _, starting with a letter'),
  description: z.string().max(255),
  catalog_path: z.string().startsWith('/'),
  path: z.string().startsWith('/'),
  protocol: z.enum(PROTOCOLS),
  request_type: z.enum(REQUEST_TYPES),
  api_type: z.enum(API_TYPES),
  auth_type: z.enum(AUTH_TYPES),
  visibility: z.enum(VISIBILITIES),
  tags: z.array(z.string().min(1).regex(/^[^,，]+$/, 'tags may not contain commas')),
  manager: z.string(),
  log_flag: z.boolean(),
  retention_period: z.int().nonnegative().nullable(),
  status: z.enum(API_STATUSES),
  authorization_status: z.enum(AUTHORIZATION_STATUSES),
  request_paras: z.array(requestParaSchema),
  datasource_config: datasourceConfigSchema.nullable(),
  groovy_content: z.string().nullable(),
  datasource_config_list: z.array(datasourceConfigSchema),
  backend_config: backendConfigSchema.nullable(),
  create_user: z.string().min(1),
  create_time: z.int().nonnegative(),
  update_time: z.int().nonnegative(),
}) satisfies z.ZodType<DataServiceApi>;

/** Checks an API, or throws a TypeError naming every bad field by its path. */
export function parseDataServiceApi(value: unknown): DataServiceApi {
  const result = dataServiceApiSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(api)'}: ${issue.message}`);
  throw new TypeError(`invalid DataService API: ${problems.join('; ')}`);
}
