import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface CatalogItemFilter {
  sourceId?: string;
  kind?: string;
  includeRemoved?: boolean;
  limit: number;
  /** Cursor: the last item id of the previous page (ids are UUIDs, ordered by id). */
  after?: string;
}

/** Reads of the catalog. Writes go through CatalogRunWriter only, in one transaction per run. */
export class CatalogRepository {
  constructor(private readonly prisma: PrismaClient) {}

  listItems(filter: CatalogItemFilter) {
    return this.prisma.catalogItem.findMany({
      where: {
        sourceId: filter.sourceId,
        kind: filter.kind,
        removedAt: filter.includeRemoved ? undefined : null,
        id: filter.after ? { gt: filter.after } : undefined,
      },
      orderBy: { id: 'asc' },
      take: filter.limit,
    });
  }

  findItem(id: string) {
    return this.prisma.catalogItem.findUnique({ where: { id } });
  }

  versionsOf(itemId: string) {
    return this.prisma.catalogVersion.findMany({ where: { itemId }, orderBy: { seq: 'asc' } });
  }

  changesOf(itemId: string) {
    return this.prisma.changeEvent.findMany({ where: { itemId }, orderBy: { id: 'asc' } });
  }

  changesOfRun(runId: string) {
    return this.prisma.changeEvent.findMany({ where: { runId }, orderBy: { id: 'asc' }, include: { item: { select: { externalId: true, kind: true, name: true } } } });
  }

  countItems(where: Prisma.CatalogItemWhereInput = {}) {
    return this.prisma.catalogItem.count({ where });
  }
}
