import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AUDITED_READ } from '../audit/audited.decorator.js';
import { AppError } from '../http/app-errors.js';
import { bearerToken } from './api-token-secret.js';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './access.decorator.js';
import { FailedAuthLimiter } from './failed-auth-limiter.js';
import type { ApiRequest, RequestAccess } from './request-access.js';
import { roleAllows, type Role } from './roles.js';
import { TokensService } from './tokens.service.js';

export const FAILED_AUTH_LIMITER = Symbol('FAILED_AUTH_LIMITER');

/**
 * The one gate of the admin API (registered globally): deny by default. A route needs the role
 * its @RequireRole names, `admin` when it names none, or nothing when it is @Public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    @Inject(FAILED_AUTH_LIMITER) private readonly limiter: FailedAuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const params = (request.params ?? {}) as Record<string, string | string[]>;
    const named = params.id ?? Object.values(params)[0];
    const access: RequestAccess = {
      route: (request.route as { path?: string } | undefined)?.path ?? request.path,
      principal: null,
      resourceId: Array.isArray(named) ? named.join('/') : (named ?? null),
      audited: this.reflector.getAllAndOverride<boolean>(AUDITED_READ, targets) === true,
    };
    request.apivaultAccess = access;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'admin';

    const address = request.ip ?? 'unknown';
    const waitMs = this.limiter.retryAfterMs(address);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      response.setHeader('Retry-After', String(seconds));
      throw new AppError(429, 'RATE_LIMITED', `too many failed authentications from this address; retry in ${seconds} s`, { retryAfterSeconds: seconds });
    }
    const header = request.headers.authorization;
    if (header === undefined) throw unauthenticated(response, 'this route needs a bearer token (Authorization: Bearer <token>)');
    const secret = bearerToken(header);
    const principal = secret === null ? null : await this.tokens.authenticate(secret);
    if (!principal) {
      this.limiter.recordFailure(address);
      throw unauthenticated(response, 'the bearer token is unknown, revoked or expired');
    }
    access.principal = principal;
    if (!roleAllows(principal.role, required)) {
      throw new AppError(403, 'FORBIDDEN', `this route needs the ${required} role; token ${principal.name} is ${principal.role}`, { required, role: principal.role });
    }
    return true;
  }
}

function unauthenticated(response: Response, message: string): AppError {
  response.setHeader('WWW-Authenticate', 'Bearer realm="apivault"');
  return new AppError(401, 'UNAUTHENTICATED', message);
}
