import { z } from 'zod';
import { AUTHORIZATION_STATUSES, FILTERABLE_API_TYPES, publishStatusType, tablesOf, type DataServiceApi } from './dataservice-api.js';

/**
 * The body of `POST /v1/{project_id}/service/export/zip`: every field optional, all of them
 * combined with AND (VENDORS.md section 1). Unknown fields are ignored, as the vendor's JSON
 * binding does. How each one matches is our decision where the vendor only names the field:
 * - `name`: fuzzy, i.e. a case-insensitive substring (documented as fuzzy);
 * - `description`: case-insensitive substring; `create_user`: exact;
 * - `tags`: the API carries every tag given;
 * - `table_name`: a table the API reads, case-insensitively equal;
 * - `publish_status_type`: PUBLISHED is status API_STATUS_PUBLISHED, anything else NOT_PUBLISHED;
 * - `start_time` / `end_time`: ISO-8601 bounds, inclusive, on the creation time.
 */
const isoTime = z.iso.datetime({ offset: true, local: false, error: 'must be an ISO-8601 date-time with a time zone' });

export const exportFilterSchema = z.looseObject({
  name: z.string().optional(),
  create_user: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  table_name: z.string().optional(),
  publish_status_type: z.enum(['PUBLISHED', 'NOT_PUBLISHED']).optional(),
  api_specific_type_str: z.enum(FILTERABLE_API_TYPES as [string, ...string[]]).optional(),
  start_time: isoTime.optional(),
  end_time: isoTime.optional(),
  authorization_status_type: z.enum(AUTHORIZATION_STATUSES).optional(),
});

export type ExportFilter = z.output<typeof exportFilterSchema>;

export type ExportFilterParse = { ok: true; filter: ExportFilter } | { ok: false; message: string };

/** The request body as the vendor reads it: empty means no filter; anything but a JSON object is refused. */
export function parseExportFilter(body: Buffer | undefined): ExportFilterParse {
  const text = body && body.length > 0 ? body.toString('utf8').trim() : '';
  if (text === '') return { ok: true, filter: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.' };
  }
  const result = exportFilterSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
    return { ok: false, message: `Invalid parameter: ${problems.join('; ')}` };
  }
  const { start_time, end_time } = result.data;
  if (start_time && end_time && Date.parse(start_time) > Date.parse(end_time)) {
    return { ok: false, message: 'Invalid parameter: start_time is after end_time' };
  }
  return { ok: true, filter: result.data };
}

function includesFolded(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

export function matchesExportFilter(api: DataServiceApi, filter: ExportFilter): boolean {
  if (filter.name !== undefined && !includesFolded(api.name, filter.name)) return false;
  if (filter.create_user !== undefined && api.create_user !== filter.create_user) return false;
  if (filter.description !== undefined && !includesFolded(api.description, filter.description)) return false;
  if (filter.tags !== undefined && !filter.tags.every((tag) => api.tags.includes(tag))) return false;
  if (filter.table_name !== undefined) {
    const wanted = filter.table_name.toLowerCase();
    if (!tablesOf(api).some((table) => table.toLowerCase() === wanted)) return false;
  }
  if (filter.publish_status_type !== undefined && publishStatusType(api) !== filter.publish_status_type) return false;
  if (filter.api_specific_type_str !== undefined && api.api_type !== filter.api_specific_type_str) return false;
  if (filter.start_time !== undefined && api.create_time < Date.parse(filter.start_time)) return false;
  if (filter.end_time !== undefined && api.create_time > Date.parse(filter.end_time)) return false;
  if (filter.authorization_status_type !== undefined && api.authorization_status !== filter.authorization_status_type) return false;
  return true;
}
