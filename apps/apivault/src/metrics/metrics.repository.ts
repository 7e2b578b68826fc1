import type { PrismaClient } from '#catalog';

/** Upper bounds (seconds) of the run duration histogram's buckets. */
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200] as const;

export interface DurationRow {
  source: string;
  count: number;
  sum: number;
  /** Cumulative counts, one per RUN_DURATION_BUCKETS bound. */
  buckets: number[];
}

/**
 * The aggregates behind /metrics, computed from the database at scrape time: they survive
 * restarts and include runs made by the CLI or another replica (each replica reports the same
 * installation-wide values; aggregate with max(), not sum()).
 */
export class MetricsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  runsByStatus(): Promise<{ source: string; status: string; n: number }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT s.name AS source, r.status::text AS status, count(*)::int AS n
         FROM runs r JOIN sources s ON s.id = r.source_id GROUP BY 1, 2`,
    );
  }

  async runDurations(): Promise<DurationRow[]> {
    const seconds = `extract(epoch FROM (r.finished_at - r.started_at))`;
    // The bounds are our constants, not input: inlining them is safe.
    const buckets = RUN_DURATION_BUCKETS.map((le, i) => `count(*) FILTER (WHERE ${seconds} <= ${le})::int AS b${i}`).join(', ');
    const rows = await this.prisma.$queryRawUnsafe<Record<string, number | string>[]>(
      `SELECT s.name AS source, count(*)::int AS count, coalesce(sum(${seconds}), 0)::float8 AS sum, ${buckets}
         FROM runs r JOIN sources s ON s.id = r.source_id
        WHERE r.finished_at IS NOT NULL AND r.started_at IS NOT NULL
        GROUP BY 1`,
    );
    return rows.map((row) => ({
      source: String(row.source),
      count: Number(row.count),
      sum: Number(row.sum),
      buckets: RUN_DURATION_BUCKETS.map((_, i) => Number(row[`b${i}`])),
    }));
  }

  /** Current (not removed) catalog items, and bytes of the distinct raw exports archived, per source. */
  sourceVolumes(): Promise<{ source: string; items: number; bytes: number }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT s.name AS source,
              (SELECT count(*) FROM catalog_items ci WHERE ci.source_id = s.id AND ci.removed_at IS NULL)::int AS items,
              (SELECT coalesce(sum(a.size), 0) FROM artifacts a
                WHERE a.sha256 IN (SELECT ra.artifact_sha256 FROM run_artifacts ra JOIN runs r ON r.id = ra.run_id WHERE r.source_id = s.id))::float8 AS bytes
         FROM sources s`,
    );
  }

  /** Failed vendor calls recorded on runs (whole-run failures and failed parts), by code. */
  vendorErrors(): Promise<{ source: string; code: string; vendor_code: string; n: number }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT s.name AS source, e.code, e.vendor_code, count(*)::int AS n
         FROM runs r JOIN sources s ON s.id = r.source_id
         CROSS JOIN LATERAL (
           SELECT r.error->>'code' AS code, coalesce(r.error->>'vendorCode', '') AS vendor_code
            WHERE r.error->>'stage' = 'fetch'
           UNION ALL
           SELECT p->'failure'->>'code', coalesce(p->'failure'->>'vendorCode', '')
             FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.error->'parts') = 'array' THEN r.error->'parts' ELSE '[]'::jsonb END) p
            WHERE p->'failure'->>'stage' = 'fetch'
         ) e
        WHERE r.error IS NOT NULL
        GROUP BY 1, 2, 3`,
    );
  }

  /** Seconds since each enabled source's last succeeded run, or since it was created if none. */
  secondsSinceLastSuccess(): Promise<{ source: string; seconds: number; ever: boolean }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT s.name AS source,
              extract(epoch FROM (now() - coalesce(max(r.finished_at) FILTER (WHERE r.status = 'succeeded'), s.created_at)))::float8 AS seconds,
              (count(*) FILTER (WHERE r.status = 'succeeded') > 0) AS ever
         FROM sources s LEFT JOIN runs r ON r.source_id = s.id
        WHERE s.enabled
        GROUP BY s.id, s.name, s.created_at`,
    );
  }
}
