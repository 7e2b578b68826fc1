import { isJsonObject, type JsonObject, type JsonValue } from '#catalog-model';
import { describeContent, sniffContent } from '../content-sniffing.js';
import { ArtifactFormatError } from '../errors.js';
import { jsonDepthExceeds, tooDeepReason } from '../json-depth.js';
import { parseAliyunXml } from './dataworks-xml.js';

/**
 * One page of ListDataServiceApis, read from JSON or XML into one shape: the numbers are numbers,
 * the flags booleans, and every list a list. The vendor's own sample renders a list of one as the
 * element itself (an XML-to-JSON artefact) and XML cannot tell the two apart, so wherever the
 * vendor has a list, one object (or one value) is read as a list of one.
 */
export interface DataWorksPage {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  /** The vendor's API objects, normalized as described above; unknown fields kept as given. */
  apis: JsonObject[];
  format: 'json' | 'xml';
}

/** Fields that are lists in the vendor's model (SDK `type:"Repeated"`). */
const LIST_FIELDS = new Set([
  'Apis',
  'Protocols',
  'WizardRequestParameters',
  'WizardResponseParameters',
  'ScriptRequestParameters',
  'ScriptResponseParameters',
  'RegistrationRequestParameters',
  'RegistrationErrorCodes',
]);
/** Integer fields in the vendor's model (XML carries them as text). */
const NUMBER_FIELDS = new Set([
  'HttpStatusCode',
  'PageNumber',
  'PageSize',
  'TotalCount',
  'Timeout',
  'Status',
  'ApiId',
  'ApiMode',
  'ProjectId',
  'ResponseContentType',
  'VisibleRange',
  'FolderId',
  'RequestMethod',
  'TenantId',
  'Protocols',
  'ServiceContentType',
  'ParameterPosition',
  'ParameterOperator',
  'ParameterDataType',
  'ConnectionId',
]);
const BOOLEAN_FIELDS = new Set(['Success', 'IsPagedResponse', 'IsRequiredParameter']);

function typed(field: string, value: unknown): JsonValue {
  if (typeof value === 'string') {
    if (NUMBER_FIELDS.has(field) && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    if (BOOLEAN_FIELDS.has(field) && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => typed(field, item));
  if (isJsonObject(value as JsonValue)) return normalized(value as Record<string, unknown>);
  return value as JsonValue;
}

function asList(field: string, value: unknown): JsonValue[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map((item) => typed(field, item));
}

/** Field by field: lists become lists, numbers and flags typed; an object's unknown fields stay. */
function normalized(object: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [field, value] of Object.entries(object)) {
    out[field] = LIST_FIELDS.has(field) ? asList(field, value) : typed(field, value);
  }
  return out;
}

function decodeUtf8(bytes: Buffer, artifact: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the page is not UTF-8 text`, artifact);
  }
}

function envelopeOf(bytes: Buffer, artifact: string): { envelope: Record<string, unknown>; format: 'json' | 'xml' } {
  const text = decodeUtf8(bytes, artifact);
  const seen = sniffContent(bytes);
  if (seen === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the page is not valid JSON${position ? ` (syntax error at position ${position})` : ''}`, artifact);
    }
    if (!isJsonObject(parsed as JsonValue)) throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the page is not a JSON object`, artifact);
    // Its own code: a page cut short never nests too deep, so this one is not fetched again.
    if (jsonDepthExceeds(parsed)) throw new ArtifactFormatError('PAGE_TOO_DEEP', `${artifact}: the page ${tooDeepReason()}`, artifact);
    return { envelope: parsed as Record<string, unknown>, format: 'json' };
  }
  if (seen === 'xml') {
    const document = parseAliyunXml(text, artifact);
    const roots = Object.entries(document);
    const root = roots.length === 1 ? roots[0][1] : undefined;
    if (typeof root !== 'object' || root === null || Array.isArray(root)) {
      throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the XML page has no single root element holding the answer`, artifact);
    }
    return { envelope: root as Record<string, unknown>, format: 'xml' };
  }
  throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the page is ${describeContent(seen)}, neither JSON nor XML`, artifact);
}

/** The vendor answered an error inside a 2xx envelope (`Success: false`). */
export class DataWorksEnvelopeError extends ArtifactFormatError {
  constructor(
    readonly vendorCode: string | undefined,
    message: string,
    artifact: string,
  ) {
    super('VENDOR_ERROR_PAGE', message, artifact);
  }
}

function count(value: JsonValue | undefined, field: string, artifact: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ArtifactFormatError('BAD_PAGE', `${artifact}: Data.${field} is not a whole number (${JSON.stringify(value ?? null)})`, artifact);
  }
  return value;
}

/** Reads a page, JSON or XML (told apart by their first bytes, not by configuration). */
export function readDataWorksPage(bytes: Buffer, artifact: string): DataWorksPage {
  const { envelope, format } = envelopeOf(bytes, artifact);
  const body = normalized(envelope);
  if (body.Success === false || (typeof body.HttpStatusCode === 'number' && body.HttpStatusCode >= 300)) {
    const code = typeof body.ErrorCode === 'string' && body.ErrorCode !== '' ? body.ErrorCode : undefined;
    const message = typeof body.ErrorMessage === 'string' ? body.ErrorMessage : 'no message';
    throw new DataWorksEnvelopeError(code, `${artifact}: the vendor answered an error in the page: ${code ?? 'no code'}: ${message}`, artifact);
  }
  const data = body.Data;
  if (!isJsonObject(data ?? null)) throw new ArtifactFormatError('BAD_PAGE', `${artifact}: the page has no Data object`, artifact);
  const page = data as JsonObject;
  const apis = (page.Apis as JsonValue[] | undefined) ?? [];
  apis.forEach((api, i) => {
    if (!isJsonObject(api) || typeof api.ApiId !== 'number' || !Number.isSafeInteger(api.ApiId)) {
      throw new ArtifactFormatError('BAD_API', `${artifact}: Data.Apis[${i}] has no numeric ApiId`, artifact);
    }
    if (typeof api.ApiName !== 'string' || api.ApiName === '') throw new ArtifactFormatError('BAD_API', `${artifact}: API ${api.ApiId} has no ApiName`, artifact);
  });
  return {
    pageNumber: count(page.PageNumber, 'PageNumber', artifact),
    pageSize: count(page.PageSize, 'PageSize', artifact),
    totalCount: count(page.TotalCount, 'TotalCount', artifact),
    apis: apis as JsonObject[],
    format,
  };
}
