import { randomUUID } from 'node:crypto';
import { contentHash, isApiDocument, searchFieldsOf, semanticApiDiff, type CatalogEntry, type JsonObject, type SearchFields, type SemanticChange } from '#catalog-model';
import type { ChangeType, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { bulkInsert, bulkUpdate, textArrayLiteral, type BulkColumn } from './bulk-rows.js';
import type { SpilledEntries, SpilledEntryRef } from './spilled-entries.js';
import { changeDiff, planChanges, type CurrentItemState, type IncompleteScopes } from './catalog-changes.js';

export interface RunWriteRequest {
  runId: string;
  sourceId: string;
  /**
   * Every entry the run parsed, keyed by itemKey(kind, externalId): in memory, or spilled to disk
   * (SpilledEntries: only keys and hashes in memory, documents read back a chunk at a time).
   */
  entries: Map<string, CatalogEntry> | SpilledEntries;
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
      const result = request.entries instanceof Map ? await this.applyIn(tx, request, inMemory(request.entries)) : await this.applyIn(tx, request, spilled(request.entries));
      await request.complete?.(tx, result);
      return result;
    }, TRANSACTION_OPTIONS);
  }

  private async applyIn<E extends EntryHead>(tx: Prisma.TransactionClient, request: RunWriteRequest, entries: EntryAccess<E>): Promise<RunWriteResult> {
    const { runId, sourceId } = request;
    // Lock the source row: two writers for one source would interleave version numbers.
    await tx.$executeRaw`SELECT 1 FROM sources WHERE id = ${sourceId}::uuid FOR UPDATE`;

    // The current state of every item in one query (a large source has 100,000 of them).
    const items = await tx.$queryRaw<StoredItemState[]>`
      SELECT i.id::text AS id, i.kind, i.external_id AS "externalId", i.scope, i.current_hash AS "currentHash",
             i.current_version_id::text AS "currentVersionId", (i.removed_at IS NOT NULL) AS removed, coalesce(v.seq, 0)::int AS "currentSeq"
      FROM catalog_items i LEFT JOIN catalog_versions v ON v.id = i.current_version_id
      WHERE i.source_id = ${sourceId}::uuid`;
    const state: CurrentItemState[] = items.map(({ currentVersionId: _version, ...item }) => item);
    const currentVersionByItem = new Map(items.map((i) => [i.id, i.currentVersionId]));
    const plan = planChanges(state, entries.seen, request.incomplete, entries.hashOf);

    const verdict = request.guard ? guardVerdict(state, plan.changes.filter((c) => c.type === 'removed').length, request.guard.maxRemovedShare) : null;
    if (verdict) {
      await bulkInsert(tx, 'held_entries', HELD_ENTRY_COLUMNS(runId, entries.load), entries.seen);
      const count = (type: string) => plan.changes.filter((c) => c.type === type).length;
      return { added: count('added'), modified: count('modified'), removed: count('removed'), restored: count('restored'), unchanged: plan.unchanged, versionsWritten: 0, held: verdict };
    }

    // Previous documents are needed for the diffs of modified, restored and removed items.
    const previousIds = plan.changes
      .map((c) => ('item' in c ? currentVersionByItem.get(c.item.id) : null))
      .filter((id): id is string => typeof id === 'string');
    const previousDocs = new Map<string, JsonObject>();
    if (previousIds.length > 0) {
      const rows = await tx.$queryRaw<{ itemId: string; document: JsonObject }[]>`
        SELECT item_id::text AS "itemId", document FROM catalog_versions WHERE id = ANY(${previousIds}::uuid[])`;
      for (const row of rows) previousDocs.set(row.itemId, row.document);
    }

    const now = new Date().toISOString();
    const newItems: NewItem<E>[] = [];
    const newVersions: NewVersion<E>[] = [];
    const newChanges: NewChange[] = [];
    const itemUpdates: ItemUpdate[] = [];
    const removedIds: string[] = [];
    const result: RunWriteResult = { added: 0, modified: 0, removed: 0, restored: 0, unchanged: plan.unchanged, versionsWritten: 0, held: null };

    const versionOf = (itemId: string, seq: number, entry: E, hash: string): string => {
      const id = randomUUID();
      newVersions.push({ id, itemId, seq, entry, hash });
      return id;
    };

    for (const change of plan.changes) {
      switch (change.type) {
        case 'added': {
          const itemId = randomUUID();
          const versionId = versionOf(itemId, 1, change.entry, change.hash);
          newItems.push({ id: itemId, entry: change.entry, hash: change.hash, versionId });
          newChanges.push({ itemId, versionId, type: 'added', diff: [], ...semantics(null, entries.load(change.entry).document) });
          result.added++;
          break;
        }
        case 'modified':
        case 'restored': {
          const { item, entry, hash } = change;
          const sameContent = change.type === 'restored' && change.sameContent;
          const versionId = sameContent ? currentVersionByItem.get(item.id)! : versionOf(item.id, item.currentSeq + 1, entry, hash);
          const previous = previousDocs.get(item.id) ?? null;
          const document = sameContent ? null : entries.load(entry).document;
          const diff = document === null ? [] : changeDiff(previous, document);
          itemUpdates.push({ id: item.id, name: entry.name, scope: entry.scope, versionId, hash });
          const semantic = document === null ? { semantic: [], breaking: false } : semantics(change.type === 'restored' ? null : previous, document);
          newChanges.push({ itemId: item.id, versionId, type: change.type, diff, ...semantic });
          result[change.type]++;
          break;
        }
        case 'removed': {
          removedIds.push(change.item.id);
          newChanges.push({ itemId: change.item.id, versionId: null, type: 'removed', diff: [], ...semantics(previousDocs.get(change.item.id) ?? null, null) });
          result.removed++;
          break;
        }
      }
    }

    // Items first (versions reference them), then versions, the item updates, and the events.
    await bulkInsert(tx, 'catalog_items', ITEM_COLUMNS(sourceId, now), newItems);
    await bulkInsert(tx, 'catalog_versions', VERSION_COLUMNS(runId, now, entries.load), newVersions);
    await bulkUpdate(tx, 'catalog_items', ITEM_UPDATE_COLUMNS(now), itemUpdates);
    await bulkUpdate(tx, 'catalog_items', REMOVAL_COLUMNS(runId, now), removedIds);
    await bulkInsert(tx, 'change_events', CHANGE_COLUMNS(runId, now), newChanges);
    if (request.consumesHeldRun) await tx.heldEntry.deleteMany({ where: { runId: request.consumesHeldRun } });
    result.versionsWritten = newVersions.length;
    return result;
  }
}

/** What the writer reads of an entry without loading its document. */
type EntryHead = Pick<CatalogEntry, 'kind' | 'externalId' | 'name' | 'scope'>;

/** A run's entries as the writer uses them: planned on by hash, loaded whole only when written. */
interface EntryAccess<E extends EntryHead> {
  seen: ReadonlyMap<string, E>;
  hashOf(entry: E): string;
  load(entry: E): CatalogEntry;
}

function inMemory(entries: Map<string, CatalogEntry>): EntryAccess<CatalogEntry> {
  return { seen: entries, hashOf: (entry) => contentHash(entry.document), load: (entry) => entry };
}

function spilled(entries: SpilledEntries): EntryAccess<SpilledEntryRef> {
  return { seen: entries.index, hashOf: (ref) => ref.hash, load: (ref) => entries.load(ref) };
}

/** An item as the writer reads it: the planner's state and the id of its current version. */
interface StoredItemState extends CurrentItemState {
  currentVersionId: string | null;
}

interface NewItem<E extends EntryHead> {
  id: string;
  entry: E;
  hash: string;
  versionId: string;
}

interface NewVersion<E extends EntryHead> {
  id: string;
  itemId: string;
  seq: number;
  entry: E;
  hash: string;
}

interface ItemUpdate {
  id: string;
  name: string;
  scope: string;
  versionId: string;
  hash: string;
}

interface NewChange {
  itemId: string;
  versionId: string | null;
  type: ChangeType;
  diff: unknown;
  semantic: unknown;
  breaking: boolean;
}

// The columns of each bulk statement. Values travel as text; documents are serialized one chunk at a time.
function HELD_ENTRY_COLUMNS<E>(runId: string, load: (entry: E) => CatalogEntry): BulkColumn<[string, E]>[] {
  return [
    { name: 'run_id', type: 'uuid', value: () => runId },
    // itemKey() joins kind and id with NUL, which PostgreSQL text cannot hold: stored with a unit separator.
    { name: 'item_key', type: 'text', value: ([key]) => key.replace('\u0000', '\u001f') },
    { name: 'entry', type: 'jsonb', value: ([, entry]) => JSON.stringify(load(entry)) },
  ];
}

const ITEM_COLUMNS = <E extends EntryHead>(sourceId: string, now: string): BulkColumn<NewItem<E>>[] => [
  { name: 'id', type: 'uuid', value: (i) => i.id },
  { name: 'source_id', type: 'uuid', value: () => sourceId },
  { name: 'kind', type: 'text', value: (i) => i.entry.kind },
  { name: 'external_id', type: 'text', value: (i) => i.entry.externalId },
  { name: 'name', type: 'text', value: (i) => i.entry.name },
  { name: 'scope', type: 'text', value: (i) => i.entry.scope },
  { name: 'current_version_id', type: 'uuid', value: (i) => i.versionId },
  { name: 'current_hash', type: 'text', value: (i) => i.hash },
  { name: 'created_at', type: 'timestamptz', value: () => now },
  { name: 'updated_at', type: 'timestamptz', value: () => now },
];

/**
 * The entry and search fields of the version being serialized: loaded once per row (from disk,
 * for spilled entries) and read by the dozen columns that need them.
 */
function versionRowMemo<E extends EntryHead>(load: (entry: E) => CatalogEntry): (version: NewVersion<E>) => { entry: CatalogEntry; fields: SearchFields } {
  let last: NewVersion<E> | null = null;
  let row: { entry: CatalogEntry; fields: SearchFields } | null = null;
  return (version) => {
    if (version !== last) {
      last = version;
      const entry = load(version.entry);
      row = { entry, fields: searchFieldsOf(entry) };
    }
    return row!;
  };
}

function VERSION_COLUMNS<E extends EntryHead>(runId: string, now: string, load: (entry: E) => CatalogEntry): BulkColumn<NewVersion<E>>[] {
  const row = versionRowMemo(load);
  const fields = (v: NewVersion<E>) => row(v).fields;
  return [
    { name: 'id', type: 'uuid', value: (v) => v.id },
    { name: 'item_id', type: 'uuid', value: (v) => v.itemId },
    { name: 'seq', type: 'int', value: (v) => String(v.seq) },
    { name: 'content_hash', type: 'text', value: (v) => v.hash },
    { name: 'document', type: 'jsonb', value: (v) => JSON.stringify(row(v).entry.document) },
    { name: 'redacted_paths', type: 'text[]', value: (v) => textArrayLiteral(row(v).entry.redactedPaths) },
    { name: 'run_id', type: 'uuid', value: () => runId },
    { name: 'artifact_sha256', type: 'text', value: (v) => row(v).entry.origin.artifactSha256 },
    { name: 'locator', type: 'text', value: (v) => row(v).entry.origin.locator ?? null },
    { name: 'created_at', type: 'timestamptz', value: () => now },
    { name: 'vendor', type: 'text', value: (v) => fields(v).vendor },
    { name: 'method', type: 'text', value: (v) => fields(v).method },
    { name: 'path', type: 'text', value: (v) => fields(v).path },
    { name: 'status', type: 'text', value: (v) => fields(v).status },
    { name: 'auth_type', type: 'text', value: (v) => fields(v).authType },
    { name: 'tags', type: 'text[]', value: (v) => textArrayLiteral(fields(v).tags) },
    { name: 'search_text', type: 'text', value: (v) => fields(v).searchText },
  ];
}

const ITEM_UPDATE_COLUMNS = (now: string): BulkColumn<ItemUpdate>[] => [
  { name: 'id', type: 'uuid', value: (u) => u.id },
  { name: 'name', type: 'text', value: (u) => u.name },
  { name: 'scope', type: 'text', value: (u) => u.scope },
  { name: 'current_version_id', type: 'uuid', value: (u) => u.versionId },
  { name: 'current_hash', type: 'text', value: (u) => u.hash },
  { name: 'removed_at', type: 'timestamptz', value: () => null },
  { name: 'removed_by_run_id', type: 'uuid', value: () => null },
  { name: 'updated_at', type: 'timestamptz', value: () => now },
];

const REMOVAL_COLUMNS = (runId: string, now: string): BulkColumn<string>[] => [
  { name: 'id', type: 'uuid', value: (id) => id },
  { name: 'removed_at', type: 'timestamptz', value: () => now },
  { name: 'removed_by_run_id', type: 'uuid', value: () => runId },
  { name: 'updated_at', type: 'timestamptz', value: () => now },
];

const CHANGE_COLUMNS = (runId: string, now: string): BulkColumn<NewChange>[] => [
  { name: 'item_id', type: 'uuid', value: (c) => c.itemId },
  { name: 'run_id', type: 'uuid', value: () => runId },
  { name: 'version_id', type: 'uuid', value: (c) => c.versionId },
  { name: 'type', type: '"ChangeType"', value: (c) => c.type },
  { name: 'diff', type: 'jsonb', value: (c) => JSON.stringify(c.diff) },
  { name: 'semantic', type: 'jsonb', value: (c) => JSON.stringify(c.semantic) },
  { name: 'breaking', type: 'boolean', value: (c) => String(c.breaking) },
  { name: 'created_at', type: 'timestamptz', value: () => now },
];
