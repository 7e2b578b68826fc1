import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/access.decorator.js';
import { ApiErrorBody, ApiZodQuery } from '../openapi/zod-openapi.js';
import { pageLimit, parseQuery } from '../http/query-params.js';
import { CatalogHistoryService } from './catalog-history.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { CatalogService } from './catalog.service.js';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const listQuery = z.object({
  source: z.uuid().optional(),
  kind: z.string().min(1).optional(),
  includeRemoved: z.enum(['true', 'false']).optional(),
  asOf: instant.optional(),
  limit: pageLimit,
  after: z.uuid().optional(),
});

const searchQuery = z.object({
  q: z.string().max(200).optional(),
  vendor: z.string().min(1).optional(),
  source: z.uuid().optional(),
  kind: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  tag: z.string().min(1).optional(),
  authType: z.string().min(1).optional(),
  asOf: instant.optional(),
  sort: z.enum(['name', 'updated']).default('name'),
  limit: pageLimit,
  cursor: z.string().min(1).optional(),
});

const itemQuery = z.object({ asOf: instant.optional() });

const versionDiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

@ApiTags('catalog')
@ApiErrorBody()
@RequireRole('viewer')
@Controller('api/v1/catalog')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly history: CatalogHistoryService,
    private readonly searchService: CatalogSearchService,
  ) {}

  /** Current items, or with `asOf` the catalog as it stood at that instant. */
  @Get('items')
  @ApiZodQuery(listQuery)
  list(@Query() query: unknown) {
    const q = parseQuery(listQuery, query);
    if (q.asOf) return this.history.stateAt(q.asOf, q.source);
    return this.catalog.listItems({ sourceId: q.source, kind: q.kind, includeRemoved: q.includeRemoved === 'true', limit: q.limit, after: q.after });
  }

  @Get('search')
  @ApiZodQuery(searchQuery)
  search(@Query() query: unknown) {
    const q = parseQuery(searchQuery, query);
    return this.searchService.find({ text: q.q, vendor: q.vendor, sourceId: q.source, kind: q.kind, method: q.method, status: q.status, tag: q.tag, authType: q.authType, asOf: q.asOf, sort: q.sort, limit: q.limit, cursor: q.cursor });
  }

  /** One item with every version and change; with `asOf`, the version current at that instant. */
  @Get('items/:id')
  @ApiZodQuery(itemQuery)
  get(@Param('id') id: string, @Query() query: unknown) {
    const { asOf } = parseQuery(itemQuery, query);
    return asOf ? this.history.itemAt(id, asOf) : this.catalog.getItem(id);
  }

  /** Semantic and field diff between two versions (by seq) of one item. */
  @Get('items/:id/diff')
  @ApiZodQuery(versionDiffQuery)
  diff(@Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(versionDiffQuery, query);
    return this.history.diffVersions(id, q.from, q.to);
  }
}
