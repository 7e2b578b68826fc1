import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { ArchiveBackend, ObjectLockSupport, WriteOnceOptions } from './backends/archive-backend.js';
import { assertValidObjectKey } from './backends/object-key.js';
import { contentKey } from './content-key.js';
import { digestStream } from './digest-stream.js';
import { ENCRYPTED_FORMAT_V1, ENCRYPTED_OBJECT_MAGIC, isEncryptedObjectHead } from './encryption/encrypted-object-format.js';
import type { ObjectCipher } from './encryption/object-cipher.js';
import { ArchiveDecryptionError, ArchiveError, ArchiveIntegrityError, ArchiveObjectMissingError, InvalidArchiveKeyError } from './errors.js';
import { peekStream } from './peek-stream.js';
import { spool, type SpooledFile, type SpoolOptions } from './spool.js';

/**
 * 'full' re-reads every written (or already present) object and re-hashes it; 'size' trusts
 * the store's reported size only, for stores where reading back costs too much.
 */
export type VerifyAfterWrite = 'full' | 'size';

export interface ArchiveStoreOptions {
  verifyAfterWrite?: VerifyAfterWrite;
  /**
   * Encrypts content objects before they reach the backend. Content keys stay the plaintext's
   * SHA-256; objects stored before encryption was enabled are still read as they are.
   */
  cipher?: ObjectCipher;
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
  /** Null when the plaintext could not be recovered (see `problem`). */
  actualSha256: string | null;
  size: number;
  /** Why the object failed, when it was not a plain hash mismatch (e.g. decryption failed). */
  problem?: string;
}

/** The bytes as the backend holds them (ciphertext for encrypted objects). */
export interface StoredDigest {
  sha256: string;
  size: number;
  /** 'none', or the at-rest format of an encrypted object. */
  encryption: string;
}

/** One read of an object: the digest of its stored bytes and the check of its content. */
export interface ObjectInspection {
  key: string;
  stored: StoredDigest;
  content: VerificationReport;
}

/** A named (not content-addressed) object, written once: snapshot manifests, signatures, reports. */
export interface SealedObject {
  key: string;
  sha256: string;
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
  private readonly cipher: ObjectCipher | undefined;

  constructor(
    readonly backend: ArchiveBackend,
    options: ArchiveStoreOptions = {},
  ) {
    this.verifyAfterWrite = options.verifyAfterWrite ?? 'full';
    this.cipher = options.cipher;
  }

  get description(): string {
    return this.backend.description;
  }

  /** How new content objects are stored: 'none', or the encryption format and key id. */
  get encryption(): { format: string; keyId: string } | { format: 'none' } {
    return this.cipher ? { format: this.cipher.format, keyId: this.cipher.keyId } : { format: 'none' };
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
    if (!this.cipher) {
      const outcome = await this.backend.writeOnce(key, content.path, size, sha256);
      await this.confirmStored(key, sha256, size);
      return { key, sha256, size, created: outcome === 'created' };
    }
    // Already archived (plaintext or encrypted): confirm it, skip encrypting for nothing.
    if ((await this.backend.stat(key)) !== null) {
      await this.confirmStored(key, sha256, size);
      return { key, sha256, size, created: false };
    }
    const encrypted = `${content.path}.${randomUUID()}.enc`;
    try {
      const stored = await this.cipher.encryptFile(content.path, encrypted, sha256);
      const outcome = await this.backend.writeOnce(key, encrypted, stored.size, stored.sha256);
      await this.confirmStored(key, sha256, size);
      return { key, sha256, size, created: outcome === 'created' };
    } finally {
      await rm(encrypted, { force: true });
    }
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

  /**
   * The plaintext; rejects with ArchiveObjectMissingError when the content is not archived.
   * An encrypted object's stream errors with ArchiveDecryptionError if its bytes were altered.
   */
  async open(sha256: string): Promise<Readable> {
    const key = contentKey(sha256);
    return this.plaintextOf(key, sha256, await this.backend.openRead(key));
  }

  /** The bytes exactly as stored (ciphertext when encrypted at rest): for handing to auditors. */
  openStored(sha256: string): Promise<Readable> {
    return this.backend.openRead(contentKey(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.backend.stat(contentKey(sha256))) !== null;
  }

  /**
   * Re-hashes the stored object's plaintext (decrypting it when encrypted); a mismatch or a
   * failed decryption is reported, not thrown, so a scrub can go on. A missing object rejects
   * with ArchiveObjectMissingError.
   */
  async verify(sha256: string): Promise<VerificationReport> {
    const key = contentKey(sha256);
    const stored = await this.backend.openRead(key);
    try {
      const actual = await digestStream(await this.plaintextOf(key, sha256, stored));
      return { key, ok: actual.sha256 === sha256, expectedSha256: sha256, actualSha256: actual.sha256, size: actual.size };
    } catch (error) {
      if (!(error instanceof ArchiveDecryptionError)) throw error;
      return { key, ok: false, expectedSha256: sha256, actualSha256: null, size: 0, problem: `decryption failed: ${error.message}` };
    }
  }

  /**
   * Reads the object once and reports both the digest of the bytes as stored (ciphertext when
   * encrypted: what an auditor without the key can check) and the verification of its content.
   * A missing object rejects with ArchiveObjectMissingError.
   */
  async inspect(sha256: string): Promise<ObjectInspection> {
    const key = contentKey(sha256);
    const storedHash = createHash('sha256');
    let storedSize = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        storedHash.update(chunk);
        storedSize += chunk.length;
        callback(null, chunk);
      },
    });
    const { head, stream } = await peekStream(pipeline(await this.backend.openRead(key), tap, () => undefined), ENCRYPTED_OBJECT_MAGIC.length);
    const encryption = isEncryptedObjectHead(head) ? ENCRYPTED_FORMAT_V1 : 'none';
    try {
      const actual = await digestStream(await this.plaintextOf(key, sha256, stream, head));
      return {
        key,
        stored: { sha256: storedHash.digest('hex'), size: storedSize, encryption },
        content: { key, ok: actual.sha256 === sha256, expectedSha256: sha256, actualSha256: actual.sha256, size: actual.size },
      };
    } catch (error) {
      if (!(error instanceof ArchiveDecryptionError)) throw error;
      // Decryption stopped early; the stored digest needs the whole object.
      const stored = await digestStream(await this.backend.openRead(key));
      return {
        key,
        stored: { ...stored, encryption },
        content: { key, ok: false, expectedSha256: sha256, actualSha256: null, size: 0, problem: `decryption failed: ${error.message}` },
      };
    }
  }

  /**
   * Writes a named object once (never encrypted: snapshot files must be checkable with nothing
   * but a public key). Refuses when the key already exists, whatever it holds: a sealed object
   * is never replaced. Content keys (`sha256/...`) are reserved for content.
   */
  async putSealed(key: string, bytes: Buffer, tmpDir: string, options: WriteOnceOptions = {}): Promise<SealedObject> {
    assertValidObjectKey(key);
    if (key.startsWith('sha256/')) throw new InvalidArchiveKeyError(key, 'sha256/ is reserved for content-addressed objects');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await mkdir(tmpDir, { recursive: true });
    const file = join(tmpDir, `sealed-${randomUUID()}`);
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
    try {
      const outcome = await this.backend.writeOnce(key, file, bytes.length, sha256, options);
      if (outcome === 'exists') throw new ArchiveError(`archive object ${key} already exists; sealed objects are never replaced`);
    } finally {
      await rm(file, { force: true });
    }
    const stored = await this.readSealed(key);
    const actual = createHash('sha256').update(stored).digest('hex');
    if (actual !== sha256) throw new ArchiveIntegrityError(key, sha256, actual, bytes.length, stored.length);
    return { key, sha256, size: bytes.length };
  }

  /** A named object's bytes (small objects only: manifests, signatures, reports). */
  async readSealed(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.backend.openRead(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.backend.stat(key)) !== null;
  }

  objectLock(): Promise<ObjectLockSupport> {
    return this.backend.objectLock();
  }

  /**
   * Deletes an object. Only snapshot pruning calls this: retention of expired snapshots and
   * garbage collection of content nothing references any more. Everything else is write-once.
   */
  delete(key: string): Promise<void> {
    return this.backend.delete(key);
  }

  checkWritable(): Promise<void> {
    return this.backend.checkWritable();
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  /** The stored stream as plaintext: decrypted when it carries the encrypted-object magic. */
  private async plaintextOf(key: string, sha256: string, stored: Readable, peeked?: Buffer): Promise<Readable> {
    const { head, stream } = peeked === undefined ? await peekStream(stored, ENCRYPTED_OBJECT_MAGIC.length) : { head: peeked, stream: stored };
    if (!isEncryptedObjectHead(head)) return stream;
    if (!this.cipher) {
      stream.destroy();
      throw new ArchiveDecryptionError(`archive object ${key} is encrypted, and no archive key is configured`);
    }
    return this.cipher.decrypt(stream, sha256);
  }

  private async confirmStored(key: string, sha256: string, size: number): Promise<void> {
    if (this.verifyAfterWrite === 'size') {
      const stat = await this.backend.stat(key);
      if (stat === null) throw new ArchiveObjectMissingError(key);
      // The object may predate encryption (plaintext size) or be encrypted.
      const allowed = this.cipher ? [size, this.cipher.encryptedSize(size)] : [size];
      if (!allowed.includes(stat.size)) throw new ArchiveIntegrityError(key, sha256, undefined, size, stat.size);
      return;
    }
    let actual;
    try {
      actual = await digestStream(await this.plaintextOf(key, sha256, await this.backend.openRead(key)));
    } catch (error) {
      if (error instanceof ArchiveDecryptionError) throw new ArchiveIntegrityError(key, sha256, undefined, size, 0);
      throw error;
    }
    if (actual.sha256 !== sha256 || actual.size !== size) {
      throw new ArchiveIntegrityError(key, sha256, actual.sha256, size, actual.size);
    }
  }
}
