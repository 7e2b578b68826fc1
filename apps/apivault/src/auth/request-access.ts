import type { Request } from 'express';
import type { Principal } from './principal.js';

/** What the guard learned about a request, read afterwards by the audit recorder. */
export interface RequestAccess {
  /** The route template, e.g. "/api/v1/sources/:id". */
  route: string;
  principal: Principal | null;
  /** The resource the route names (its :id, :sha256...), when it names one. */
  resourceId: string | null;
  /** Reads that are audited too (raw downloads). */
  audited: boolean;
}

export type ApiRequest = Request & { apivaultAccess?: RequestAccess };
