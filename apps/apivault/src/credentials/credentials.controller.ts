import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/access.decorator.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { parseBody } from '../http/request-body.js';
import { ApiErrorBody, ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { vendorCredentialSchema } from './credential-secret.js';
import { CredentialsService } from './credentials.service.js';

const createBody = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit'),
  secret: vendorCredentialSchema,
});

const rotateBody = z.strictObject({ secret: vendorCredentialSchema });

const listQuery = z.object({
  type: z.string().min(1).optional(),
  limit: pageLimit,
  cursor: z.string().min(1).optional(),
});

/**
 * Vendor credentials (admin only). Secrets go in, sealed under the master key, and never come
 * out: every answer shows the name, type, key id and which sources use it.
 */
@ApiTags('credentials')
@ApiErrorBody()
@RequireRole('admin')
@Controller('api/v1/credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get()
  @ApiZodQuery(listQuery)
  @ApiOkResponse({ description: 'credentials by name, without secrets' })
  list(@Query() query: unknown) {
    return this.credentials.page(parseQuery(listQuery, query));
  }

  @Get(':id')
  @ApiOkResponse({ description: 'one credential (by id or name), without its secret' })
  get(@Param('id') id: string) {
    return this.credentials.get(id);
  }

  @Post()
  @ApiZodBody(createBody)
  @ApiCreatedResponse({ description: 'the new credential, without its secret' })
  create(@Body() body: unknown) {
    const b = parseBody(createBody, body);
    return this.credentials.create(b.name, b.secret);
  }

  /** Replaces the secret; every source using the credential uses the new one from its next run. */
  @Post(':id/rotate')
  @HttpCode(200)
  @ApiZodBody(rotateBody)
  @ApiOkResponse({ description: 'the credential, now sealed with the new secret' })
  rotate(@Param('id') id: string, @Body() body: unknown) {
    return this.credentials.rotate(id, parseBody(rotateBody, body).secret);
  }

  /** 409 CREDENTIAL_IN_USE when a source still uses it. */
  @Delete(':id')
  @ApiOkResponse({ description: 'the deleted credential' })
  remove(@Param('id') id: string) {
    return this.credentials.remove(id);
  }
}
