import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { RequireRole } from '../auth/access.decorator.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { parseBody } from '../http/request-body.js';
import { ApiErrorBody, ApiZodBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { BackupService } from '../runs/backup.service.js';
import { toRunView } from '../runs/run-view.js';
import { createSourceBody, updateSourceBody } from './source-body.js';
import { SourceProbeService } from './source-probe.service.js';
import { SourcesService } from './sources.service.js';

const listQuery = z.object({
  kind: z.string().min(1).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  limit: pageLimit,
  cursor: z.string().min(1).optional(),
});

@ApiTags('sources')
@ApiErrorBody()
@Controller('api/v1/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly backups: BackupService,
    private readonly probes: SourceProbeService,
  ) {}

  @Get()
  @RequireRole('viewer')
  @ApiZodQuery(listQuery)
  @ApiOkResponse({ description: 'configured sources by name, never a secret' })
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.sources.page({ kind: q.kind, enabled: q.enabled === undefined ? undefined : q.enabled === 'true', limit: q.limit, cursor: q.cursor });
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOkResponse({ description: 'one source, by id or name' })
  get(@Param('id') id: string) {
    return this.sources.view(id);
  }

  @Post()
  @RequireRole('admin')
  @ApiZodBody(createSourceBody)
  @ApiCreatedResponse({ description: 'the new source (its config checked by the connector)' })
  create(@Body() body: unknown) {
    return this.sources.create(parseBody(createSourceBody, body));
  }

  /** 409 MANAGED_BY_FILE for a source declared in apivault.yaml. */
  @Patch(':id')
  @RequireRole('admin')
  @ApiZodBody(updateSourceBody)
  @ApiOkResponse({ description: 'the updated source' })
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.sources.update(id, parseBody(updateSourceBody, body));
  }

  /** Only a source without history: 409 SOURCE_HAS_HISTORY otherwise (disable it instead). */
  @Delete(':id')
  @RequireRole('admin')
  @ApiOkResponse({ description: 'the deleted source' })
  remove(@Param('id') id: string) {
    return this.sources.remove(id);
  }

  /** Stops the source's scheduled runs (manual runs still work); 409 NO_SCHEDULE without one. */
  @Post(':id/schedule/pause')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOkResponse({ description: 'the source, schedulePaused true' })
  pauseSchedule(@Param('id') id: string) {
    return this.sources.setSchedulePaused(id, true);
  }

  /** Restarts the scheduled runs from the next slot (missed ones are not made up). */
  @Post(':id/schedule/resume')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOkResponse({ description: 'the source, schedulePaused false' })
  resumeSchedule(@Param('id') id: string) {
    return this.sources.setSchedulePaused(id, false);
  }

  /** Checks configuration, credential and reachability without a backup (nothing is stored). */
  @Post(':id/test')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOkResponse({ description: '`ok`, the vendor call that answered, or the error (stage, code, call, status)' })
  test(@Param('id') id: string) {
    return this.probes.probe(id);
  }

  /** Starts a backup of the source; 202 with the run, whose progress `GET /api/v1/runs/:id` shows. */
  @Post(':id/runs')
  @HttpCode(202)
  @RequireRole('operator')
  @ApiAcceptedResponse({ description: 'the started run; Location names it' })
  async startRun(@Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    const run = await this.backups.start(id, 'api');
    response.setHeader('Location', `/api/v1/runs/${run.id}`);
    return toRunView(run);
  }
}
