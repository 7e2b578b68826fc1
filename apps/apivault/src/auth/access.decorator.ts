import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './roles.js';

export const REQUIRED_ROLE = 'apivault:required-role';
export const PUBLIC_ROUTE = 'apivault:public';

/**
 * The least role a route needs. A route without this decorator (or @Public) needs `admin`: the
 * guard denies by default, so a new route is never accidentally open.
 */
export function RequireRole(role: Role): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no token, or an unknown, revoked or expired one' }),
    ApiForbiddenResponse({ description: `the token's role is below ${role}` }),
    ApiTooManyRequestsResponse({ description: 'too many failed authentications from this address; see Retry-After' }),
  );
}

/** Open to anyone, no token needed (health, metrics). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}
