import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AuditedRead } from '../audit/audited.decorator.js';
import { RequireRole } from '../auth/access.decorator.js';
import { ValidationError } from '../http/app-errors.js';
import { ApiErrorBody } from '../openapi/zod-openapi.js';
import { ArtifactsService } from './artifacts.service.js';

const sha256Param = z.string().regex(/^[0-9a-f]{64}$/);

function checkedSha256(value: string): string {
  if (!sha256Param.safeParse(value).success) throw new ValidationError('path parameter sha256: must be 64 lower-case hex digits', { field: 'sha256' });
  return value;
}

@ApiTags('artifacts')
@ApiErrorBody()
@Controller('api/v1/artifacts')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @Get(':sha256')
  @RequireRole('viewer')
  @ApiParam({ name: 'sha256', description: 'SHA-256 of the raw export (64 hex digits)' })
  @ApiOkResponse({ description: 'size, content type, archive key and the runs that fetched it' })
  metadata(@Param('sha256') sha256: string) {
    return this.artifacts.metadata(checkedSha256(sha256));
  }

  /** The raw export exactly as the vendor sent it (secrets included): operators only, audited. */
  @Get(':sha256/content')
  @RequireRole('operator')
  @AuditedRead()
  @ApiParam({ name: 'sha256', description: 'SHA-256 of the raw export (64 hex digits)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the bytes, streamed from the archive', schema: { type: 'string', format: 'binary' } })
  async content(@Param('sha256') sha256: string): Promise<StreamableFile> {
    const file = await this.artifacts.content(checkedSha256(sha256));
    return new StreamableFile(file.stream, {
      type: file.contentType,
      length: file.size,
      disposition: `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    });
  }
}
