import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/access.decorator.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { ApiErrorBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { AuditService } from './audit.service.js';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const listQuery = z.object({
  actor: z.string().min(1).optional().describe('token name, "anonymous" or "cli"'),
  tokenId: z.uuid().optional(),
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'CLI']).optional(),
  resourceId: z.string().min(1).optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: pageLimit,
  cursor: z.string().min(1).optional(),
});

@ApiTags('audit')
@ApiErrorBody()
@RequireRole('admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Audit events, newest first: every mutating call and every raw download. */
  @Get()
  @ApiZodQuery(listQuery)
  @ApiOkResponse({ description: 'audit events, newest first, with nextCursor' })
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.audit.list(q);
  }
}
