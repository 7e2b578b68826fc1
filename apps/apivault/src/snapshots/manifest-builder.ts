import type { CatalogState, CurrentItemRow, LastRunRow } from './snapshot-repository.js';
import type { SnapshotScopeRef } from './snapshot-scope.js';
import { MANIFEST_FORMAT, type CoverageEntry, type ManifestObject, type ManifestObjectLock, type ManifestSource, type SnapshotManifest } from './snapshot-manifest.js';

export interface ManifestInput {
  snapshotId: string;
  scope: SnapshotScopeRef;
  sequence: number;
  createdAt: Date;
  trigger: string;
  previous: SnapshotManifest['previous'];
  state: CatalogState;
  objects: ManifestObject[];
  encryption: { format: string; keyId?: string };
  objectLock: ManifestObjectLock;
  publicKeyFingerprint: string;
}

/** Pure: the manifest of a catalog state. Every list is sorted, so equal states give equal bytes. */
export function buildManifest(input: ManifestInput): SnapshotManifest {
  const { state } = input;
  const items = [...state.items].sort((a, b) => compare(a.sourceId, b.sourceId) || compare(a.kind, b.kind) || compare(a.externalId, b.externalId));
  const objects = [...input.objects].sort((a, b) => compare(a.sha256, b.sha256));
  const itemsByKind: Record<string, number> = {};
  for (const item of items) itemsByKind[item.kind] = (itemsByKind[item.kind] ?? 0) + 1;
  return {
    format: MANIFEST_FORMAT,
    snapshotId: input.snapshotId,
    scope: { id: input.scope.id, sourceIds: input.scope.sourceIds },
    sequence: input.sequence,
    createdAt: input.createdAt.toISOString(),
    trigger: input.trigger,
    previous: input.previous,
    sources: state.sources.map((source) => manifestSource(source, state, items.filter((i) => i.sourceId === source.id))),
    items: items.map((i) => ({
      id: i.id,
      sourceId: i.sourceId,
      kind: i.kind,
      externalId: i.externalId,
      name: i.name,
      scope: i.scope,
      versionId: i.versionId,
      seq: i.seq,
      contentHash: i.contentHash,
      artifactSha256: i.artifactSha256,
    })),
    objects,
    counts: {
      sources: state.sources.length,
      items: items.length,
      itemsByKind,
      objects: objects.length,
      objectBytes: objects.reduce((sum, o) => sum + o.size, 0),
      unavailableObjects: objects.filter((o) => o.status !== 'ok').length,
    },
    archive: { encryption: input.encryption, objectLock: input.objectLock },
    signing: { algorithm: 'Ed25519', publicKeyFingerprint: input.publicKeyFingerprint },
  };
}

function manifestSource(source: CatalogState['sources'][number], state: CatalogState, items: CurrentItemRow[]): ManifestSource {
  const run = state.lastRuns.get(source.id);
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    enabled: source.enabled,
    items: items.length,
    lastRun: run
      ? {
          id: run.id,
          status: run.status,
          trigger: run.trigger,
          startedAt: run.startedAt?.toISOString() ?? null,
          finishedAt: run.finishedAt?.toISOString() ?? null,
          error: errorOf(run.error),
          artifacts: [...(state.runArtifacts.get(run.id) ?? [])].sort(compare),
        }
      : null,
    coverage: run ? coverageOf(run, items) : null,
  };
}

/** The run's own record of each part (vendor listing vs parsed), plus what the catalog holds now. */
function coverageOf(run: LastRunRow, items: CurrentItemRow[]): CoverageEntry[] | null {
  const parts: unknown[] | null = isObject(run.stats) && Array.isArray(run.stats.coverage) ? run.stats.coverage : null;
  if (!parts) return null;
  return parts
    .filter(isObject)
    .map((part) => {
      const scope = typeof part.scope === 'string' ? part.scope : '';
      return {
        scope,
        vendorListed: typeof part.expected === 'number' ? part.expected : null,
        parsed: typeof part.parsed === 'number' ? part.parsed : 0,
        held: scope === '' ? items.length : items.filter((i) => i.scope === scope).length,
        failure: errorOf(part.failure ?? null),
      };
    })
    .sort((a, b) => compare(a.scope, b.scope));
}

function errorOf(value: unknown): { code: string; message: string } | null {
  if (!isObject(value)) return null;
  return { code: typeof value.code === 'string' ? value.code : 'UNKNOWN', message: typeof value.message === 'string' ? value.message : '' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** By UTF-16 code units, like canonical JSON: no locale, the same order everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
