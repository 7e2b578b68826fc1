import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/** One item as it stood at an instant: the version then current (never a removed item). */
export interface ItemStateRow {
  itemId: string;
  sourceId: string;
  kind: string;
  externalId: string;
  name: string;
  versionId: string;
  seq: number;
  contentHash: string;
  document: Prisma.JsonValue;
}

export interface ChangeFeedFilter {
  since?: Date;
  until?: Date;
  sourceId?: string;
  breaking?: boolean;
  kind?: string;
  /** Cursor: the last change id of the previous page. */
  after?: bigint;
  limit: number;
}

/**
 * Reads of the past. The state at an instant is derived from change events: an item's latest
 * event at or before the instant says whether it existed and which version it had. Events of one
 * run share the run's commit time, so "as of" a run's end is exactly what that run saw.
 */
export class CatalogHistoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async stateAt(at: Date, filter: { sourceId?: string; itemId?: string } = {}): Promise<ItemStateRow[]> {
    const conditions = [Prisma.sql`e.created_at <= ${at}`];
    if (filter.itemId) conditions.push(Prisma.sql`e.item_id = ${filter.itemId}::uuid`);
    if (filter.sourceId) conditions.push(Prisma.sql`i.source_id = ${filter.sourceId}::uuid`);
    return this.prisma.$queryRaw<ItemStateRow[]>`
      WITH latest AS (
        SELECT DISTINCT ON (e.item_id) e.item_id, e.type, e.version_id
        FROM change_events e JOIN catalog_items i ON i.id = e.item_id
        WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY e.item_id, e.id DESC
      )
      SELECT i.id AS "itemId", i.source_id AS "sourceId", i.kind, i.external_id AS "externalId", v.document->>'name' AS name,
             v.id AS "versionId", v.seq, v.content_hash AS "contentHash", v.document
      FROM latest l
      JOIN catalog_items i ON i.id = l.item_id
      JOIN catalog_versions v ON v.id = l.version_id
      WHERE l.type <> 'removed'
      ORDER BY i.kind, i.external_id`;
  }

  changes(filter: ChangeFeedFilter) {
    return this.prisma.changeEvent.findMany({
      where: {
        createdAt: { gte: filter.since, lte: filter.until },
        breaking: filter.breaking,
        id: filter.after !== undefined ? { gt: filter.after } : undefined,
        item: filter.sourceId || filter.kind ? { sourceId: filter.sourceId, kind: filter.kind } : undefined,
      },
      orderBy: { id: 'asc' },
      take: filter.limit,
      include: { item: { select: { sourceId: true, kind: true, externalId: true, name: true } } },
    });
  }

  version(itemId: string, seq: number) {
    return this.prisma.catalogVersion.findUnique({ where: { itemId_seq: { itemId, seq } } });
  }
}
