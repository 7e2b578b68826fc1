import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator.js';
import { ApiErrorBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { CatalogHistoryService } from './catalog-history.service.js';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const changesQuery = z.object({
  since: instant.optional(),
  until: instant.optional(),
  source: z.uuid().optional(),
  kind: z.string().min(1).optional(),
  breaking: z.enum(['true', 'false']).optional(),
  after: z.string().regex(/^\d+$/).optional(),
  limit: pageLimit,
});

const diffQuery = z.object({ from: z.string().min(1), to: z.string().min(1), source: z.uuid().optional() });

@ApiTags('catalog')
@ApiErrorBody()
@RequireRole('viewer')
@Controller('api/v1')
export class HistoryController {
  constructor(private readonly history: CatalogHistoryService) {}

  /** The changes feed, oldest first, cursor by change id. */
  @Get('changes')
  @ApiZodQuery(changesQuery)
  changes(@Query() query: unknown) {
    const q = parseQuery(changesQuery, query);
    return this.history.changes({
      since: q.since,
      until: q.until,
      sourceId: q.source,
      kind: q.kind,
      breaking: q.breaking === undefined ? undefined : q.breaking === 'true',
      after: q.after,
      limit: q.limit,
    });
  }

  /** What changed between two runs (ids) or two instants (ISO-8601), for the catalog or a source. */
  @Get('diff')
  @ApiZodQuery(diffQuery)
  diff(@Query() query: unknown) {
    const q = parseQuery(diffQuery, query);
    return this.history.diffStates(q.from, q.to, q.source);
  }
}
