import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator.js';
import { ApiErrorBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { HeldRunsService } from './held-runs.service.js';
import { toRunView } from './run-view.js';
import { RunsService } from './runs.service.js';

const listQuery = z.object({
  source: z.uuid().optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'partial', 'failed', 'held', 'cancelled']).optional(),
  limit: pageLimit,
  before: z.iso.datetime({ offset: true }).optional(),
});

@ApiTags('runs')
@ApiErrorBody()
@RequireRole('viewer')
@Controller('api/v1/runs')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly heldRuns: HeldRunsService,
  ) {}

  @Get()
  @ApiZodQuery(listQuery)
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.runs.list({ sourceId: q.source, status: q.status, limit: q.limit, before: q.before ? new Date(q.before) : undefined });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.runs.get(id);
  }

  /** Applies a run the guard held (the vendor really removed those items). */
  @Post(':id/apply')
  @RequireRole('operator')
  @HttpCode(200)
  async apply(@Param('id') id: string) {
    return toRunView(await this.heldRuns.apply(id));
  }

  /** Discards a held run: the catalog stays as it was. */
  @Post(':id/discard')
  @RequireRole('operator')
  @HttpCode(200)
  async discard(@Param('id') id: string) {
    return toRunView(await this.heldRuns.discard(id));
  }
}
