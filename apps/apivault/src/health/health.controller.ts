import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ArchiveStore } from '#archive';
import type { Database } from '#catalog';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorator.js';
import { ARCHIVE_STORE, DATABASE } from '../core/tokens.js';

@ApiTags('operations')
@Public()
@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
  ) {}

  /** Liveness and readiness in one answer: 503 when the database or the archive is unusable. */
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const checks = {
      database: await this.db.ping().then(() => 'ok', (error: Error) => `failed: ${error.message}`),
      archive: await this.archive.checkWritable().then(() => 'ok', (error: Error) => `failed: ${error.message}`),
    };
    const ok = Object.values(checks).every((c) => c === 'ok');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
