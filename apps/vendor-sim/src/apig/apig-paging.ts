import { ApigErrors, ApigRequestError } from './apig-errors.js';

export interface ApigPage {
  offset: number;
  limit: number;
}

export const APIG_DEFAULT_LIMIT = 20;
export const APIG_MAX_LIMIT = 500;

function integerParameter(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw new ApigRequestError(ApigErrors.invalidParameter(name));
  return Number(raw);
}

/**
 * `offset`/`limit` the way the APIG listings document them: an offset below 0 counts as 0, a
 * limit of 0 or less as 20, a limit above 500 as 500. Anything not an integer is refused.
 */
export function apigPageOf(query: Record<string, unknown>): ApigPage {
  const offset = integerParameter(query.offset, 'offset') ?? 0;
  const limit = integerParameter(query.limit, 'limit') ?? APIG_DEFAULT_LIMIT;
  return { offset: Math.max(0, offset), limit: limit <= 0 ? APIG_DEFAULT_LIMIT : Math.min(limit, APIG_MAX_LIMIT) };
}

/** `{total, size, <key>: [...]}`: the vendor's list envelope (size = items on this page). */
export function apigPageBody<T>(key: string, items: readonly T[], page: ApigPage): Record<string, unknown> {
  const slice = items.slice(page.offset, page.offset + page.limit);
  return { total: items.length, size: slice.length, [key]: slice };
}
