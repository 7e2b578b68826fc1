import { contentHash, diffDocuments, type CatalogEntry, type FieldChange, type JsonObject } from '#catalog-model';

/** The catalog state of one item before a run, as the planner needs it. */
export interface CurrentItemState {
  id: string;
  kind: string;
  externalId: string;
  scope: string;
  currentHash: string | null;
  currentSeq: number;
  removed: boolean;
}

/** `E` is what the run saw of an entry: the entry itself, or a reference to it (spilled entries). */
export type PlannedChange<E = CatalogEntry> =
  | { type: 'added'; key: string; entry: E; hash: string }
  | { type: 'modified'; key: string; item: CurrentItemState; entry: E; hash: string }
  | { type: 'restored'; key: string; item: CurrentItemState; entry: E; hash: string; sameContent: boolean }
  | { type: 'removed'; key: string; item: CurrentItemState };

export interface ChangePlan<E = CatalogEntry> {
  changes: PlannedChange<E>[];
  unchanged: number;
}

export function itemKey(kind: string, externalId: string): string {
  return `${kind}\u0000${externalId}`;
}

/**
 * Which parts of a source a run did not see completely. Items of those parts that the run did
 * not see are kept as they are: absence from a failed part is not evidence of deletion.
 */
export type IncompleteScopes = { all: true } | { all: false; scopes: ReadonlySet<string> };

export const COMPLETE_RUN: IncompleteScopes = { all: false, scopes: new Set() };

function mayTombstone(item: CurrentItemState, incomplete: IncompleteScopes): boolean {
  return !incomplete.all && !incomplete.scopes.has(item.scope);
}

const hashOfEntry = (entry: CatalogEntry): string => contentHash(entry.document);

/**
 * Compares what a run saw with the catalog's current state, by content hash. Pure: the writer
 * applies the plan in one transaction. Items missing from the complete parts become tombstones.
 * `hashOf` gives a seen entry's content hash (by default it hashes the document; entries spilled
 * to disk carry the hash taken when they were parsed).
 */
export function planChanges(current: Iterable<CurrentItemState>, seen: ReadonlyMap<string, CatalogEntry>, incomplete?: IncompleteScopes): ChangePlan;
export function planChanges<E>(current: Iterable<CurrentItemState>, seen: ReadonlyMap<string, E>, incomplete: IncompleteScopes, hashOf: (entry: E) => string): ChangePlan<E>;
export function planChanges<E>(
  current: Iterable<CurrentItemState>,
  seen: ReadonlyMap<string, E>,
  incomplete: IncompleteScopes = COMPLETE_RUN,
  hashOf: (entry: E) => string = hashOfEntry as unknown as (entry: E) => string,
): ChangePlan<E> {
  const currentByKey = new Map<string, CurrentItemState>();
  for (const item of current) currentByKey.set(itemKey(item.kind, item.externalId), item);

  const changes: PlannedChange<E>[] = [];
  let unchanged = 0;
  for (const [key, entry] of seen) {
    const hash = hashOf(entry);
    const item = currentByKey.get(key);
    if (!item) changes.push({ type: 'added', key, entry, hash });
    else if (item.removed) changes.push({ type: 'restored', key, item, entry, hash, sameContent: item.currentHash === hash });
    else if (item.currentHash !== hash) changes.push({ type: 'modified', key, item, entry, hash });
    else unchanged++;
  }
  for (const [key, item] of currentByKey) {
    if (!item.removed && !seen.has(key) && mayTombstone(item, incomplete)) changes.push({ type: 'removed', key, item });
  }
  return { changes, unchanged };
}

/** The field diff recorded on a change event; redaction markers make secret changes visible. */
export function changeDiff(before: JsonObject | null, after: JsonObject | null): FieldChange[] {
  if (before === null || after === null) return [];
  return diffDocuments(before, after);
}
