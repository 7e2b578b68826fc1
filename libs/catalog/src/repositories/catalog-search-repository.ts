import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

export interface CatalogSearchQuery {
  /** Free text: every word must appear in the name, path, description or tags. */
  text?: string;
  vendor?: string;
  sourceId?: string;
  kind?: string;
  method?: string;
  status?: string;
  tag?: string;
  authType?: string;
  /** Search the catalog as it stood at this instant instead of now. */
  asOf?: Date;
  sort: 'name' | 'updated';
  limit: number;
  /** Keyset cursor from the previous page. */
  cursor?: { key: string; id: string };
}

export interface CatalogSearchRow {
  itemId: string;
  sourceId: string;
  kind: string;
  externalId: string;
  name: string;
  versionId: string;
  seq: number;
  vendor: string | null;
  method: string | null;
  path: string | null;
  status: string | null;
  authType: string | null;
  tags: string[];
  versionCreatedAt: Date;
  /** The value the page is ordered by, for the next cursor. */
  sortKey: string;
}

function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Search over the current catalog (or as of an instant). Free text is a LIKE '%word%' per word
 * on the versions' lower-case search_text, which the pg_trgm GIN index serves on PostgreSQL and
 * PGlite alike; filters use plain columns of the version. Keyset pagination: stable under
 * concurrent writes and cheap at any depth.
 */
export class CatalogSearchRepository {
  constructor(private readonly prisma: PrismaClient) {}

  search(query: CatalogSearchQuery): Promise<CatalogSearchRow[]> {
    return this.prisma.$queryRaw<CatalogSearchRow[]>(catalogSearchSql(query));
  }
}

/** The SQL of a search, on its own so the benchmark can time it beside the same SQL through pg. */
export function catalogSearchSql(query: CatalogSearchQuery): Prisma.Sql {
    const where: Prisma.Sql[] = [];
    const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const textMatches = (column: Prisma.Sql) => words.map((word) => Prisma.sql`${column} LIKE ${likePattern(word)}`);
    if (query.vendor) where.push(Prisma.sql`v.vendor = ${query.vendor}`);
    if (query.sourceId) where.push(Prisma.sql`i.source_id = ${query.sourceId}::uuid`);
    if (query.kind) where.push(Prisma.sql`i.kind = ${query.kind}`);
    if (query.method) where.push(Prisma.sql`v.method = ${query.method.toUpperCase()}`);
    if (query.status) where.push(Prisma.sql`v.status = ${query.status}`);
    if (query.authType) where.push(Prisma.sql`v.auth_type = ${query.authType}`);
    if (query.tag) where.push(Prisma.sql`v.tags @> ARRAY[${query.tag}]::text[]`);

    const sortKey = query.sort === 'name' ? Prisma.sql`i.name` : Prisma.sql`to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS')`;
    if (query.cursor) {
      where.push(
        query.sort === 'name'
          ? Prisma.sql`(${sortKey}, i.id) > (${query.cursor.key}, ${query.cursor.id}::uuid)`
          : Prisma.sql`(${sortKey}, i.id) < (${query.cursor.key}, ${query.cursor.id}::uuid)`,
      );
    }
    const order = query.sort === 'name' ? Prisma.sql`ORDER BY i.name ASC, i.id ASC` : Prisma.sql`ORDER BY ${sortKey} DESC, i.id DESC`;
    const filter = where.length > 0 ? Prisma.sql`AND ${Prisma.join(where, ' AND ')}` : Prisma.empty;
    // Free text is matched first, through the trigram index, and only the matches are ordered.
    // Left to itself the planner often walks the name index instead and tests LIKE row by row,
    // which is 3-5x slower at 100,000 items (docs/performance.md).
    const matched =
      words.length > 0
        ? Prisma.sql`JOIN (SELECT id FROM catalog_versions WHERE ${Prisma.join(textMatches(Prisma.raw('search_text')), ' AND ')} OFFSET 0) m ON m.id = v.id`
        : Prisma.empty;
    const select = Prisma.sql`
      SELECT i.id AS "itemId", i.source_id AS "sourceId", i.kind, i.external_id AS "externalId", i.name,
             v.id AS "versionId", v.seq, v.vendor, v.method, v.path, v.status, v.auth_type AS "authType", v.tags,
             v.created_at AS "versionCreatedAt", ${sortKey} AS "sortKey"`;

    // As of an instant the state comes from change events first; the text is then a plain filter.
    const asOfText = words.length > 0 ? Prisma.sql`AND ${Prisma.join(textMatches(Prisma.raw('v.search_text')), ' AND ')}` : Prisma.empty;
    if (query.asOf) {
      return Prisma.sql`
        WITH latest AS (
          SELECT DISTINCT ON (e.item_id) e.item_id, e.type, e.version_id
          FROM change_events e WHERE e.created_at <= ${query.asOf}
          ORDER BY e.item_id, e.id DESC
        )
        ${select}
        FROM latest l JOIN catalog_items i ON i.id = l.item_id JOIN catalog_versions v ON v.id = l.version_id
        WHERE l.type <> 'removed' ${asOfText} ${filter}
        ${order} LIMIT ${query.limit}`;
    }
    return Prisma.sql`
      ${select}
      FROM catalog_items i JOIN catalog_versions v ON v.id = i.current_version_id ${matched}
      WHERE i.removed_at IS NULL ${filter}
      ${order} LIMIT ${query.limit}`;
}
