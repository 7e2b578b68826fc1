import type { Readable } from 'node:stream';

export interface ArchiveObjectStat {
  size: number;
}

export interface ArchiveObjectListing {
  key: string;
  size: number;
}

export type WriteOnceOutcome = 'created' | 'exists';

export type ObjectLockMode = 'COMPLIANCE' | 'GOVERNANCE';

/** Options of one write; only sealed objects (snapshot manifests, evidence) carry a retention. */
export interface WriteOnceOptions {
  /** WORM retention on stores with Object Lock; callers pass it only when objectLock() says enabled. */
  retention?: { mode: ObjectLockMode; retainUntil: Date };
}

/**
 * Whether the store can hold objects under a retention date (S3 Object Lock), and with which
 * mode and period; or why not, in words an auditor can read.
 */
export type ObjectLockSupport =
  | { enabled: true; mode: ObjectLockMode; retentionDays: number; source: 'configured' | 'bucket-default' }
  | { enabled: false; reason: string };

/**
 * The only code that talks to storage. Objects are write-once: there is no overwrite, so
 * nothing the service does later can alter an archived export. The one way out is `delete`,
 * which only snapshot pruning calls (retention and garbage collection, see docs/snapshots.md).
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
  writeOnce(key: string, localFile: string, size: number, sha256: string, options?: WriteOnceOptions): Promise<WriteOnceOutcome>;

  /** The object's bytes; rejects with ArchiveObjectMissingError when there is none. */
  openRead(key: string): Promise<Readable>;

  /** Every object whose key starts with `prefix` (a plain string prefix, not only whole segments). */
  list(prefix?: string): AsyncIterable<ArchiveObjectListing>;

  /**
   * Removes the object (no error when it is already gone). Used ONLY by snapshot pruning: the
   * archive is otherwise append-only, and on an Object Lock bucket the store itself refuses
   * while the object's retention runs.
   */
  delete(key: string): Promise<void>;

  /** Whether sealed objects can be written under a retention date here, or why not. */
  objectLock(): Promise<ObjectLockSupport>;

  /** Readiness probe: rejects with ArchiveUnavailableError when objects cannot be written. */
  checkWritable(): Promise<void>;

  /** Releases connections or handles; the backend is unusable afterwards. */
  close(): Promise<void>;
}
