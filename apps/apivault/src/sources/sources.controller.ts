import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { SourceRecord } from '#catalog';
import { BackupService } from '../runs/backup.service.js';
import { toRunView } from '../runs/run-view.js';
import { SourcesService } from './sources.service.js';

/** What the API shows of a source: its settings and which credential, never the secret. */
function toSourceView(source: SourceRecord) {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    config: source.config,
    credentialId: source.credentialId,
    enabled: source.enabled,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}

@Controller('api/v1/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly backups: BackupService,
  ) {}

  @Get()
  async list() {
    return { items: (await this.sources.list()).map(toSourceView) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return toSourceView(await this.sources.get(id));
  }

  /** Starts a backup of the source; 202 with the run, whose progress `GET /api/v1/runs/:id` shows. */
  @Post(':id/runs')
  @HttpCode(202)
  async startRun(@Param('id') id: string, @Res({ passthrough: true }) response: Response) {
    const { run } = await this.backups.start(id, 'api');
    response.setHeader('Location', `/api/v1/runs/${run.id}`);
    return toRunView(run);
  }
}
