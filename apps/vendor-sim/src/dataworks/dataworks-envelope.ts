import { aliyunXmlDocument, ALIYUN_JSON_CONTENT_TYPE, ALIYUN_XML_CONTENT_TYPE, type AliyunFormat } from '../aliyun/aliyun-errors.js';
import type { RouteAnswer } from '../fault-answers.js';
import { API_FIELD_ORDER, type DataWorksApi } from './dataworks-api.js';
import type { SingleElementLists } from './dataworks-state.js';

export interface ListPage {
  pageNumber: number;
  pageSize: number;
  totalCount: number;
  apis: DataWorksApi[];
}

type Rendered = string | number | boolean | Rendered[] | { [key: string]: Rendered };

/** An API with its fields in the vendor's order (absent details are left out, as the vendor omits nulls). */
function ordered(api: DataWorksApi): Record<string, Rendered> {
  const out: Record<string, Rendered> = {};
  for (const name of API_FIELD_ORDER) {
    const value = api[name];
    if (value !== undefined) out[name] = value as unknown as Rendered;
  }
  return out;
}

/** The vendor sample's quirk: every list of exactly one element becomes that element. */
function collapseSingletons(value: Rendered): Rendered {
  if (Array.isArray(value)) {
    const items = value.map(collapseSingletons);
    return items.length === 1 ? items[0] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, Rendered> = {};
    for (const [key, child] of Object.entries(value)) out[key] = collapseSingletons(child);
    return out;
  }
  return value;
}

/**
 * A successful answer of a DataWorks action: `{HttpStatusCode, RequestId, Success, Data}` (the
 * envelope's ErrorCode and ErrorMessage are left out on success, as the vendor leaves out nulls),
 * JSON or XML (`<{Action}Response>`, lists as repeated elements, empty lists absent).
 */
export function renderDataWorksAnswer(
  action: string,
  data: Rendered,
  context: { requestId: string; format: AliyunFormat },
  singleElementLists: SingleElementLists,
): RouteAnswer {
  const envelope: Record<string, Rendered> = { HttpStatusCode: 200, RequestId: context.requestId, Success: true, Data: data };
  if (context.format === 'XML') {
    return {
      headers: { 'Content-Type': ALIYUN_XML_CONTENT_TYPE, 'x-acs-request-id': context.requestId },
      body: Buffer.from(aliyunXmlDocument(`${action}Response`, envelope), 'utf8'),
    };
  }
  const body = singleElementLists === 'object' ? collapseSingletons(envelope) : envelope;
  return {
    headers: { 'Content-Type': ALIYUN_JSON_CONTENT_TYPE, 'x-acs-request-id': context.requestId },
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  };
}

export function listPageData(page: ListPage): Rendered {
  return { PageNumber: page.pageNumber, PageSize: page.pageSize, TotalCount: page.totalCount, Apis: page.apis.map(ordered) };
}
