import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { CatalogService } from './catalog.service.js';

const listQuery = z.object({
  source: z.uuid().optional(),
  kind: z.string().min(1).optional(),
  includeRemoved: z.enum(['true', 'false']).optional(),
  limit: pageLimit,
  after: z.uuid().optional(),
});

@Controller('api/v1/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('items')
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    return this.catalog.listItems({ sourceId: q.source, kind: q.kind, includeRemoved: q.includeRemoved === 'true', limit: q.limit, after: q.after });
  }

  @Get('items/:id')
  get(@Param('id') id: string) {
    return this.catalog.getItem(id);
  }
}
