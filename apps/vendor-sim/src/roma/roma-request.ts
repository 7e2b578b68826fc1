import type { Request, RequestHandler } from 'express';
import { sendHuaweiError } from '../huawei/errors.js';
import { RomaErrors } from './roma-errors.js';
import type { RomaState } from './roma-state.js';

/** Where every ROMA Connect API Connect (APIC) call of the simulator lives. */
export const ROMA_INSTANCE_PREFIX = '/v2/:projectId/apic/instances/:instanceId';

/**
 * Unknown project: the gateway cannot route the call (APIG.0101, as for the other services);
 * unknown instance: ROMA's own APIG.3030.
 */
export function romaInstanceGuard(projectId: string, roma: RomaState): RequestHandler {
  return (req, res, next) => {
    if (req.params.projectId !== projectId) {
      return sendHuaweiError(res, 'apiNotFound', 'The API does not exist or has not been published in the environment');
    }
    if (req.params.instanceId !== roma.instanceId) return RomaErrors.instanceNotFound(res, String(req.params.instanceId));
    next();
  };
}

export type Paging = { ok: true; offset: number; limit: number } | { ok: false; parameter: 'offset' | 'limit' };

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 500;

/**
 * `offset` (default 0, below 0 counts as 0: confirmed) and `limit` (default 20, 1..500: confirmed).
 * Out-of-range limits are brought back in range as APIG documents for its own listings (<= 0
 * gives 20, > 500 gives 500); what is not a number is a 400.
 */
export function pagingOf(req: Request): Paging {
  const number = (name: 'offset' | 'limit'): number | undefined | null => {
    const raw = req.query[name];
    if (raw === undefined) return undefined;
    return typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : null;
  };
  const offset = number('offset');
  const limit = number('limit');
  if (offset === null) return { ok: false, parameter: 'offset' };
  if (limit === null) return { ok: false, parameter: 'limit' };
  return {
    ok: true,
    offset: Math.max(0, offset ?? 0),
    limit: limit === undefined || limit <= 0 ? DEFAULT_PAGE_LIMIT : Math.min(limit, MAX_PAGE_LIMIT),
  };
}

/** A query string parameter, or undefined when absent or empty. */
export function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Fuzzy (substring) unless `precise_search` names the parameter (confirmed behaviour of the listings). */
export function textMatcher(req: Request, name: string): (value: string) => boolean {
  const wanted = queryText(req, name);
  if (wanted === undefined) return () => true;
  const precise = (queryText(req, 'precise_search') ?? '').split(',').map((p) => p.trim()).includes(name);
  return precise ? (value) => value === wanted : (value) => value.includes(wanted);
}
