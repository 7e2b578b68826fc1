import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/access.decorator.js';
import type { ApiRequest } from '../auth/request-access.js';
import { parseQuery } from '../http/query-params.js';
import { ApiErrorBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { RunControlService } from './run-control.service.js';

const logsQuery = z.object({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).optional().describe('the least level shown'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().regex(/^\d+$/, 'a seq number from nextCursor').optional(),
});

/** Beside RunsController: a run's log lines and its cancellation. */
@ApiTags('runs')
@ApiErrorBody()
@Controller('api/v1/runs')
export class RunControlController {
  constructor(private readonly control: RunControlService) {}

  @Get(':id/logs')
  @RequireRole('viewer')
  @ApiZodQuery(logsQuery)
  @ApiOkResponse({ description: "the run's log lines, oldest first (`retained: false` when this process does not hold them)" })
  logs(@Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(logsQuery, query);
    return this.control.logs(id, { afterSeq: q.cursor ? Number(q.cursor) : 0, limit: q.limit, level: q.level });
  }

  /** Cooperative: the run stops at its next vendor call or checkpoint and ends `cancelled`. */
  @Post(':id/cancel')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiAcceptedResponse({ description: 'the run, still running; it ends `cancelled` shortly' })
  cancel(@Param('id') id: string, @Req() request: ApiRequest) {
    return this.control.cancel(id, request.apivaultAccess?.principal?.name ?? 'api');
  }
}
