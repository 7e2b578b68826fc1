import type { NextFunction, Response } from 'express';
import type { ApiRequest } from '../auth/request-access.js';
import type { AuditService } from './audit.service.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Express middleware, ahead of every route: once a mutating call (or an @AuditedRead download)
 * has been answered, records who made it, on what, from where, and the status. It sits outside
 * Nest's guard so that refused calls (401, 403, 429) and unknown routes are recorded too.
 */
export function auditRecorder(audit: AuditService) {
  return (request: ApiRequest, response: Response, next: NextFunction): void => {
    const path = request.originalUrl.split('?')[0]!;
    const mutating = !READ_METHODS.has(request.method);
    // A created resource is named in its answer, not in the path: keep the id, never the body.
    let createdId: string | null = null;
    const json = response.json.bind(response);
    response.json = (body?: unknown) => {
      const id = (body as { id?: unknown } | null | undefined)?.id;
      if (typeof id === 'string') createdId = id;
      return json(body);
    };
    response.once('close', () => {
      const access = request.apivaultAccess;
      if (!mutating && !access?.audited) return;
      const principal = access?.principal ?? null;
      void audit.record({
        tokenId: principal?.tokenId ?? null,
        actor: principal?.name ?? 'anonymous',
        role: principal?.role ?? null,
        method: request.method,
        route: access?.route ?? path,
        path,
        resourceId: access?.resourceId ?? createdId,
        ip: request.ip ?? null,
        status: response.statusCode,
        // A download cut off before its last byte is worth knowing about.
        details: response.writableFinished ? undefined : { completed: false },
      });
    });
    next();
  };
}
