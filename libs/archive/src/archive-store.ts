import type { Readable } from 'node:stream';
import type { ArchiveBackend } from './backends/archive-backend.js';
import { contentKey } from './content-key.js';
import { digestStream } from './digest-stream.js';
import { ArchiveIntegrityError, ArchiveObjectMissingError } from './errors.js';
import { spool, type SpooledFile, type SpoolOptions } from './spool.js';

/**
 * 'full' re-reads every written (or already present) object and re-hashes it; 'size' trusts
 * the store's reported size only, for stores where reading back costs too much.
 */
export type VerifyAfterWrite = 'full' | 'size';

export interface ArchiveStoreOptions {
  verifyAfterWrite?: VerifyAfterWrite;
}

export interface ArchivedObject {
  key: string;
  sha256: string;
  size: number;
  /** False when the same content was already archived: nothing new was written. */
  created: boolean;
}

export interface VerificationReport {
  key: string;
  ok: boolean;
  expectedSha256: string;
  actualSha256: string;
  size: number;
}

/** A spooled body, or any local file whose hash and size are already known. */
export type LocalContent = Pick<SpooledFile, 'path' | 'sha256' | 'size'>;

/**
 * Content-addressed, write-once archive over any backend: an object's key is derived from its
 * SHA-256, equal content is stored once, and every put is checked against what the store
 * actually kept, because several S3-compatible stores corrupt bodies without any error.
 */
export class ArchiveStore {
  private readonly verifyAfterWrite: VerifyAfterWrite;

  constructor(
    readonly backend: ArchiveBackend,
    options: ArchiveStoreOptions = {},
  ) {
    this.verifyAfterWrite = options.verifyAfterWrite ?? 'full';
  }

  get description(): string {
    return this.backend.description;
  }

  spool(stream: Readable, tmpDir: string, options?: SpoolOptions): Promise<SpooledFile> {
    return spool(stream, tmpDir, options);
  }

  /**
   * Archives the file under its content key. When the key already exists its content is
   * verified as well: different bytes there raise ArchiveIntegrityError and stay untouched.
   */
  async putFile(content: LocalContent): Promise<ArchivedObject> {
    const { sha256, size } = content;
    const key = contentKey(sha256);
    const outcome = await this.backend.writeOnce(key, content.path, size, sha256);
    await this.confirmStored(key, sha256, size);
    return { key, sha256, size, created: outcome === 'created' };
  }

  /** Spools, archives and removes the temp file, whatever happens. */
  async putStream(stream: Readable, tmpDir: string, options?: SpoolOptions): Promise<ArchivedObject> {
    const spooled = await spool(stream, tmpDir, options);
    try {
      return await this.putFile(spooled);
    } finally {
      await spooled.dispose();
    }
  }

  /** Rejects with ArchiveObjectMissingError when the content is not archived. */
  open(sha256: string): Promise<Readable> {
    return this.backend.openRead(contentKey(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.backend.stat(contentKey(sha256))) !== null;
  }

  /** Re-hashes the stored object; a mismatch is reported, not thrown, so a scrub can go on. */
  async verify(sha256: string): Promise<VerificationReport> {
    const key = contentKey(sha256);
    const actual = await digestStream(await this.backend.openRead(key));
    return { key, ok: actual.sha256 === sha256, expectedSha256: sha256, actualSha256: actual.sha256, size: actual.size };
  }

  checkWritable(): Promise<void> {
    return this.backend.checkWritable();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private async confirmStored(key: string, sha256: string, size: number): Promise<void> {
    if (this.verifyAfterWrite === 'size') {
      const stat = await this.backend.stat(key);
      if (stat === null) throw new ArchiveObjectMissingError(key);
      if (stat.size !== size) throw new ArchiveIntegrityError(key, sha256, undefined, size, stat.size);
      return;
    }
    const actual = await digestStream(await this.backend.openRead(key));
    if (actual.sha256 !== sha256 || actual.size !== size) {
      throw new ArchiveIntegrityError(key, sha256, actual.sha256, size, actual.size);
    }
  }
}
