import { createHash } from 'node:crypto';

/** What a snapshot covers: every source (`all`), or a fixed set of sources. */
export interface SnapshotScopeRef {
  /** "all", or "sources-" + 16 hex of the SHA-256 of the sorted source ids: stable for a set. */
  id: string;
  /** Sorted source ids; null for the whole catalog. */
  sourceIds: string[] | null;
}

export const WHOLE_CATALOG: SnapshotScopeRef = { id: 'all', sourceIds: null };

export function scopeOf(sourceIds: readonly string[] | null | undefined): SnapshotScopeRef {
  if (!sourceIds || sourceIds.length === 0) return WHOLE_CATALOG;
  const sorted = [...new Set(sourceIds)].sort();
  const digest = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16);
  return { id: `sources-${digest}`, sourceIds: sorted };
}
