import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { parseBody } from '../http/request-body.js';
import { ApiErrorBody, ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { RequireRole } from './access.decorator.js';
import type { ApiRequest } from './request-access.js';
import { ROLES } from './roles.js';
import { TokensService } from './tokens.service.js';

const createTokenBody = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100').optional(),
  role: z.enum(ROLES),
  expiresAt: z.iso
    .datetime({ offset: true })
    .refine((at) => Date.parse(at) > Date.now(), 'must be in the future')
    .optional(),
});

const listQuery = z.object({
  includeRevoked: z.enum(['true', 'false']).optional(),
  limit: pageLimit,
  cursor: z.string().min(1).optional(),
});

/** Bearer tokens of the admin API (admin only). The first admin token comes from the CLI. */
@ApiTags('tokens')
@ApiErrorBody()
@RequireRole('admin')
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiZodQuery(listQuery)
  @ApiOkResponse({ description: 'tokens, newest first, without secrets' })
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.tokens.list({ includeRevoked: q.includeRevoked === 'true', limit: q.limit, cursor: q.cursor });
  }

  @Get(':id')
  @ApiOkResponse({ description: 'one token (by id or name), without its secret' })
  get(@Param('id') id: string) {
    return this.tokens.get(id);
  }

  /** 201 with the token's secret in `token`: shown this once, stored only as a hash. */
  @Post()
  @ApiZodBody(createTokenBody)
  @ApiCreatedResponse({ description: 'the new token; `token` is the secret, shown only in this answer' })
  create(@Body() body: unknown, @Req() request: ApiRequest) {
    const b = parseBody(createTokenBody, body);
    const expiresAt = b.expiresAt ? new Date(b.expiresAt) : null;
    return this.tokens.create({ name: b.name, role: b.role, expiresAt, createdBy: request.apivaultAccess?.principal?.name ?? 'api' });
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the revoked token; it stops working at once' })
  revoke(@Param('id') id: string) {
    return this.tokens.revoke(id);
  }
}
