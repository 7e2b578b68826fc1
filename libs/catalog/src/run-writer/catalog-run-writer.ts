import { randomUUID } from 'node:crypto';
import { isApiDocument, searchFieldsOf, semanticApiDiff, type CatalogEntry, type JsonObject, type SemanticChange } from '#catalog-model';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { changeDiff, planChanges, type CurrentItemState, type IncompleteScopes } from './catalog-changes.js';

export interface RunWriteRequest {
  runId: string;
  sourceId: string;
  /** Every entry the run parsed, keyed by itemKey(kind, externalId). */
  entries: Map<string, CatalogEntry>;
  /** Parts the run did not see completely: their missing items are not tombstoned. */
  incomplete: IncompleteScopes;
  /**
   * Holds the run instead of applying it when it would remove every item of the source, or more
   * than this share of them (0..1). Null applies unconditionally (an operator applying a held run).
   */
  guard: { maxRemovedShare: number } | null;
  /** When applying a held run: its staged entries are deleted in the same transaction. */
  consumesHeldRun?: string;
  /**
   * First statement of the transaction: the run engine checks that it still holds the run's lease
   * (a fencing check), so a replica that lost its lease can never write the catalog.
   */
  fence?: (tx: Prisma.TransactionClient) => Promise<void>;
  /** Last statement of the transaction: the run's outcome commits with the catalog change. */
  complete?: (tx: Prisma.TransactionClient, result: RunWriteResult) => Promise<void>;
}

/** Why a run was held: the numbers an operator needs to decide. */
export interface GuardVerdict {
  activeItems: number;
  wouldRemove: number;
  share: number;
  maxRemovedShare: number;
  reason: string;
}

export interface RunWriteResult {
  added: number;
  modified: number;
  removed: number;
  restored: number;
  unchanged: number;
  versionsWritten: number;
  /** Set when the guard held the run: nothing was applied, the entries were staged. */
  held: GuardVerdict | null;
}

/**
 * The semantic changes of an API version change and whether any of them breaks callers.
 * Non-API documents (connections) have only the field diff.
 */
function semantics(before: JsonObject | null, after: JsonObject | null): { semantic: Prisma.InputJsonValue; breaking: boolean } {
  const b = before !== null && isApiDocument(before) ? before : null;
  const a = after !== null && isApiDocument(after) ? after : null;
  if (b === null && a === null) return { semantic: [], breaking: false };
  const changes: SemanticChange[] = semanticApiDiff(b, a);
  return { semantic: changes as unknown as Prisma.InputJsonValue, breaking: changes.some((c) => c.breaking) };
}

/** Null when the run may be applied; the numbers when it removes everything or too much. */
function guardVerdict(state: CurrentItemState[], wouldRemove: number, maxRemovedShare: number): GuardVerdict | null {
  const activeItems = state.filter((i) => !i.removed).length;
  if (activeItems === 0 || wouldRemove === 0) return null;
  const share = wouldRemove / activeItems;
  if (wouldRemove < activeItems && share <= maxRemovedShare) return null;
  const reason =
    wouldRemove === activeItems
      ? `the run would remove all ${activeItems} items of the source`
      : `the run would remove ${wouldRemove} of ${activeItems} items (${Math.round(share * 100)}%), more than the allowed ${Math.round(maxRemovedShare * 100)}%`;
  return { activeItems, wouldRemove, share, maxRemovedShare, reason };
}

/** Interactive transactions default to 5 s in Prisma; a large source takes longer than that. */
const TRANSACTION_OPTIONS = { maxWait: 60_000, timeout: 15 * 60_000 } as const;

/**
 * Applies one run's result to the catalog in ONE transaction: new versions (never updates of old
 * ones), change events with their field diff, tombstones, restorations. Either all of it is
 * visible or none of it: a failed run leaves the catalog exactly as it was.
 */
export class CatalogRunWriter {
  constructor(private readonly prisma: PrismaClient) {}

  async apply(request: RunWriteRequest): Promise<RunWriteResult> {
    return this.prisma.$transaction(async (tx) => {
      await request.fence?.(tx);
      const result = await this.applyIn(tx, request);
      await request.complete?.(tx, result);
      return result;
    }, TRANSACTION_OPTIONS);
  }

  private async applyIn(tx: Prisma.TransactionClient, request: RunWriteRequest): Promise<RunWriteResult> {
    const { runId, sourceId } = request;
    // Lock the source row: two writers for one source would interleave version numbers.
    await tx.$executeRaw`SELECT 1 FROM sources WHERE id = ${sourceId}::uuid FOR UPDATE`;

    const items = await tx.catalogItem.findMany({
      where: { sourceId },
      select: { id: true, kind: true, externalId: true, scope: true, currentHash: true, currentVersionId: true, removedAt: true },
    });
    const currentVersionIds = items.map((i) => i.currentVersionId).filter((id): id is string => id !== null);
    const seqByVersion = new Map<string, number>();
    if (currentVersionIds.length > 0) {
      const versions = await tx.catalogVersion.findMany({ where: { id: { in: currentVersionIds } }, select: { id: true, seq: true } });
      for (const v of versions) seqByVersion.set(v.id, v.seq);
    }
    const state: CurrentItemState[] = items.map((i) => ({
      id: i.id,
      kind: i.kind,
      externalId: i.externalId,
      scope: i.scope,
      currentHash: i.currentHash,
      currentSeq: i.currentVersionId ? (seqByVersion.get(i.currentVersionId) ?? 0) : 0,
      removed: i.removedAt !== null,
    }));
    const currentVersionByItem = new Map(items.map((i) => [i.id, i.currentVersionId]));
    const plan = planChanges(state, request.entries, request.incomplete);

    const verdict = request.guard ? guardVerdict(state, plan.changes.filter((c) => c.type === 'removed').length, request.guard.maxRemovedShare) : null;
    if (verdict) {
      await tx.heldEntry.createMany({
        data: [...request.entries].map(([itemKey, entry]) => ({ runId, itemKey, entry: entry as unknown as Prisma.InputJsonValue })),
      });
      const count = (type: string) => plan.changes.filter((c) => c.type === type).length;
      return { added: count('added'), modified: count('modified'), removed: count('removed'), restored: count('restored'), unchanged: plan.unchanged, versionsWritten: 0, held: verdict };
    }

    // Previous documents are needed for the diffs of modified, restored and removed items.
    const previousIds = plan.changes
      .map((c) => ('item' in c ? currentVersionByItem.get(c.item.id) : null))
      .filter((id): id is string => typeof id === 'string');
    const previousDocs = new Map<string, JsonObject>();
    if (previousIds.length > 0) {
      const rows = await tx.catalogVersion.findMany({ where: { id: { in: previousIds } }, select: { itemId: true, document: true } });
      for (const row of rows) previousDocs.set(row.itemId, row.document as JsonObject);
    }

    const now = new Date();
    const newItems: Prisma.CatalogItemCreateManyInput[] = [];
    const newVersions: Prisma.CatalogVersionCreateManyInput[] = [];
    const newChanges: Prisma.ChangeEventCreateManyInput[] = [];
    const itemUpdates: { id: string; data: Prisma.CatalogItemUpdateInput }[] = [];
    const result: RunWriteResult = { added: 0, modified: 0, removed: 0, restored: 0, unchanged: plan.unchanged, versionsWritten: 0, held: null };

    const versionOf = (itemId: string, seq: number, entry: CatalogEntry, hash: string): string => {
      const id = randomUUID();
      newVersions.push({
        id,
        itemId,
        seq,
        contentHash: hash,
        document: entry.document as Prisma.InputJsonValue,
        redactedPaths: entry.redactedPaths,
        runId,
        artifactSha256: entry.origin.artifactSha256,
        locator: entry.origin.locator ?? null,
        createdAt: now,
        ...searchFieldsOf(entry),
      });
      return id;
    };

    for (const change of plan.changes) {
      switch (change.type) {
        case 'added': {
          const itemId = randomUUID();
          const versionId = versionOf(itemId, 1, change.entry, change.hash);
          newItems.push({
            id: itemId,
            sourceId,
            kind: change.entry.kind,
            externalId: change.entry.externalId,
            name: change.entry.name,
            scope: change.entry.scope,
            currentVersionId: versionId,
            currentHash: change.hash,
            createdAt: now,
          });
          newChanges.push({ itemId, runId, versionId, type: 'added', diff: [], ...semantics(null, change.entry.document), createdAt: now });
          result.added++;
          break;
        }
        case 'modified':
        case 'restored': {
          const { item, entry, hash } = change;
          const sameContent = change.type === 'restored' && change.sameContent;
          const versionId = sameContent ? currentVersionByItem.get(item.id)! : versionOf(item.id, item.currentSeq + 1, entry, hash);
          const diff = sameContent ? [] : changeDiff(previousDocs.get(item.id) ?? null, entry.document);
          itemUpdates.push({
            id: item.id,
            data: { name: entry.name, scope: entry.scope, currentVersionId: versionId, currentHash: hash, removedAt: null, removedByRunId: null },
          });
          const previous = previousDocs.get(item.id) ?? null;
          const semantic = sameContent ? { semantic: [], breaking: false } : semantics(change.type === 'restored' ? null : previous, entry.document);
          newChanges.push({ itemId: item.id, runId, versionId, type: change.type, diff: diff as unknown as Prisma.InputJsonValue, ...semantic, createdAt: now });
          result[change.type]++;
          break;
        }
        case 'removed': {
          itemUpdates.push({ id: change.item.id, data: { removedAt: now, removedByRunId: runId } });
          newChanges.push({ itemId: change.item.id, runId, versionId: null, type: 'removed', diff: [], ...semantics(previousDocs.get(change.item.id) ?? null, null), createdAt: now });
          result.removed++;
          break;
        }
      }
    }

    // Versions first (items reference them by id only), then items, then the events.
    if (newItems.length > 0) await tx.catalogItem.createMany({ data: newItems });
    if (newVersions.length > 0) await tx.catalogVersion.createMany({ data: newVersions });
    for (const update of itemUpdates) await tx.catalogItem.update({ where: { id: update.id }, data: update.data });
    if (newChanges.length > 0) await tx.changeEvent.createMany({ data: newChanges });
    if (request.consumesHeldRun) await tx.heldEntry.deleteMany({ where: { runId: request.consumesHeldRun } });
    result.versionsWritten = newVersions.length;
    return result;
  }
}

