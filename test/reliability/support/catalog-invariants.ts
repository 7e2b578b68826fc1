import { ArchiveObjectMissingError, type ArchiveStore } from '#archive';
import type { Database } from '#catalog';
import { ARCHIVE_STORE } from '../../../apps/apivault/src/core/tokens.js';
import type { TestApp } from '../../support/test-app.js';
import type { ItemsByScope } from './reliability-estate.js';

/** What the catalog holds for one source: live items by scope, and how many versions in all. */
export interface SourceCatalogState {
  items: ItemsByScope;
  versions: number;
}

export async function sourceCatalogState(db: Database, sourceId: string): Promise<SourceCatalogState> {
  const rows = await db.prisma.catalogItem.findMany({ where: { sourceId, removedAt: null }, select: { scope: true, externalId: true } });
  const items: ItemsByScope = new Map();
  for (const row of rows) {
    let ids = items.get(row.scope);
    if (!ids) items.set(row.scope, (ids = new Set()));
    ids.add(row.externalId);
  }
  return { items, versions: await db.prisma.catalogVersion.count({ where: { item: { sourceId } } }) };
}

export function sameItems(a: ItemsByScope, b: ItemsByScope): boolean {
  const flat = (byScope: ItemsByScope) => [...byScope.entries()].filter(([, ids]) => ids.size > 0).flatMap(([scope, ids]) => [...ids].map((id) => `${scope}\u0000${id}`)).sort();
  return JSON.stringify(flat(a)) === JSON.stringify(flat(b));
}

/** sha256 -> size of every archived object the catalog knows of. */
export type ArchiveInventory = Map<string, number>;

/**
 * The archive's side of "nothing is ever lost": every artifact the catalog records is in the
 * archive and re-hashes to its key (ArchiveStore.verify), every catalog version points at such
 * an object, and every object of an earlier inventory is still there, unchanged. Returns the
 * inventory now and one line per loss.
 */
export async function checkArchive(t: TestApp, earlier: ArchiveInventory = new Map()): Promise<{ inventory: ArchiveInventory; lost: string[] }> {
  const archive = t.app.get<ArchiveStore>(ARCHIVE_STORE);
  const lost: string[] = [];
  const inventory: ArchiveInventory = new Map();
  const artifacts = await t.db.prisma.artifact.findMany({ select: { sha256: true, size: true } });
  const recorded = new Map(artifacts.map((a) => [a.sha256, Number(a.size)]));
  for (const sha256 of new Set([...recorded.keys(), ...earlier.keys()])) {
    if (!recorded.has(sha256)) lost.push(`artifact ${sha256} was archived earlier but the catalog no longer records it`);
    try {
      const report = await archive.verify(sha256);
      if (!report.ok) lost.push(`archive object ${report.key} no longer hashes to its key (${report.problem ?? `got ${report.actualSha256}`})`);
      else if (report.size !== (recorded.get(sha256) ?? earlier.get(sha256))) lost.push(`archive object ${report.key} is ${report.size} bytes, recorded as ${recorded.get(sha256) ?? earlier.get(sha256)}`);
      else inventory.set(sha256, report.size);
    } catch (error) {
      if (!(error instanceof ArchiveObjectMissingError) && (error as Error)?.name !== 'ArchiveObjectMissingError') throw error;
      lost.push(`archive object of artifact ${sha256} is missing`);
    }
  }
  const referenced = await t.db.prisma.catalogVersion.findMany({ select: { artifactSha256: true }, distinct: ['artifactSha256'] });
  for (const { artifactSha256 } of referenced) {
    if (!inventory.has(artifactSha256)) lost.push(`catalog versions point at artifact ${artifactSha256}, which the archive does not hold intact`);
  }
  return { inventory, lost };
}
