import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { contentHash, type CatalogEntry, type EntryKind } from '#catalog-model';
import { itemKey } from './catalog-changes.js';

/** What stays in memory of a spilled entry: who it is, its content hash, and where its bytes are. */
export interface SpilledEntryRef {
  kind: EntryKind;
  externalId: string;
  name: string;
  scope: string;
  hash: string;
  offset: number;
  length: number;
}

/** What committing one artifact's entries did: the keys seen for the first time, and the repeats. */
export interface SpilledBatchResult {
  fresh: SpilledEntryRef[];
  /** Keys this run had already seen: the later entry replaces the earlier (as Map.set did). */
  duplicates: SpilledEntryRef[];
}

/** One artifact's entries, counted whole or not at all: commit() on success, discard() on failure. */
export interface SpilledEntryBatch {
  add(entry: CatalogEntry): void;
  commit(): SpilledBatchResult;
  discard(): void;
}

/**
 * A run's parsed entries on disk: each entry is written out (one JSON line in a temporary file)
 * as soon as it is parsed, and only its key, content hash and position stay in memory, so a
 * source of 100,000 APIs costs a few megabytes of heap instead of every document at once. The
 * catalog writer plans on the hashes and reads back only the documents it writes (added,
 * modified, restored items), a chunk at a time. dispose() removes the file.
 */
export class SpilledEntries {
  private readonly refs = new Map<string, SpilledEntryRef>();
  private bytesWritten = 0;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly fd: number,
  ) {}

  /** A new, empty spill file in a fresh directory under `tmpDir`. */
  static create(tmpDir: string): SpilledEntries {
    const dir = mkdtempSync(path.join(tmpDir, 'entries-'));
    return new SpilledEntries(dir, openSync(path.join(dir, 'entries.jsonl'), 'w+', 0o600));
  }

  /** Distinct entries committed so far. */
  get size(): number {
    return this.refs.size;
  }

  has(key: string): boolean {
    return this.refs.has(key);
  }

  /** The committed entries by itemKey: what the writer plans on. */
  get index(): ReadonlyMap<string, SpilledEntryRef> {
    return this.refs;
  }

  batch(): SpilledEntryBatch {
    let staged: [string, SpilledEntryRef][] | null = [];
    return {
      add: (entry) => {
        if (!staged) throw new Error('this batch was committed or discarded already');
        staged.push([itemKey(entry.kind, entry.externalId), this.write(entry)]);
      },
      commit: () => {
        if (!staged) throw new Error('this batch was committed or discarded already');
        const result: SpilledBatchResult = { fresh: [], duplicates: [] };
        for (const [key, ref] of staged) {
          (this.refs.has(key) ? result.duplicates : result.fresh).push(ref);
          this.refs.set(key, ref);
        }
        staged = null;
        return result;
      },
      // The bytes stay in the file, unreferenced: nothing reads them again.
      discard: () => {
        staged = null;
      },
    };
  }

  /** The entry a reference points to, read back from disk. */
  load(ref: SpilledEntryRef): CatalogEntry {
    this.assertOpen();
    const buffer = Buffer.allocUnsafe(ref.length);
    let read = 0;
    while (read < ref.length) {
      const n = readSync(this.fd, buffer, read, ref.length - read, ref.offset + read);
      if (n === 0) throw new Error(`spilled entry ${ref.kind}/${ref.externalId}: the spill file ends early`);
      read += n;
    }
    return JSON.parse(buffer.toString('utf8')) as CatalogEntry;
  }

  /** Closes and removes the spill file; safe to call more than once. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.refs.clear();
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private write(entry: CatalogEntry): SpilledEntryRef {
    this.assertOpen();
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, this.bytesWritten + written);
    const ref: SpilledEntryRef = {
      kind: entry.kind,
      externalId: entry.externalId,
      name: entry.name,
      scope: entry.scope,
      hash: contentHash(entry.document),
      offset: this.bytesWritten,
      length: bytes.length - 1,
    };
    this.bytesWritten += bytes.length;
    return ref;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the spilled entries were disposed of');
  }
}
