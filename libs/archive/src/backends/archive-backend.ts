import type { Readable } from 'node:stream';

export interface ArchiveObjectStat {
  size: number;
}

export interface ArchiveObjectListing {
  key: string;
  size: number;
}

export type WriteOnceOutcome = 'created' | 'exists';

/**
 * The only code that talks to storage. Objects are write-once: there is deliberately no
 * delete and no overwrite, so nothing the service does later can alter an archived export.
 * Keys are `/`-separated relative names (see object-key.ts); segments starting with `.` are
 * reserved for the backend's own bookkeeping and never listed.
 */
export interface ArchiveBackend {
  /** Where objects go, for logs and status pages; never contains secrets. */
  readonly description: string;

  /** Size of the object, or null when there is none. */
  stat(key: string): Promise<ArchiveObjectStat | null>;

  /**
   * Stores the local file under `key` unless an object already exists there, in which case
   * nothing is written and 'exists' is returned. `size` and `sha256` describe the file; a
   * backend checks at least the size of what it stored and raises ArchiveIntegrityError.
   */
  writeOnce(key: string, localFile: string, size: number, sha256: string): Promise<WriteOnceOutcome>;

  /** The object's bytes; rejects with ArchiveObjectMissingError when there is none. */
  openRead(key: string): Promise<Readable>;

  /** Every object whose key starts with `prefix` (a plain string prefix, not only whole segments). */
  list(prefix?: string): AsyncIterable<ArchiveObjectListing>;

  /** Readiness probe: rejects with ArchiveUnavailableError when objects cannot be written. */
  checkWritable(): Promise<void>;

  /** Releases connections or handles; the backend is unusable afterwards. */
  close(): Promise<void>;
}
