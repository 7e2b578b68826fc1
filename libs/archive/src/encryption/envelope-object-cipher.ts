import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { pipeline as pipelineCallback, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StreamDigest } from '../digest-stream.js';
import { ArchiveDecryptionError } from '../errors.js';
import {
  chunkNonce,
  DATA_KEY_BYTES,
  decodeHeader,
  DEFAULT_CHUNK_BYTES,
  ENCRYPTED_FORMAT_V1,
  encodeHeader,
  headerLength,
  IV_BYTES,
  NONCE_PREFIX_BYTES,
  TAG_BYTES,
  wrapAad,
  type EncryptedObjectHeader,
} from './encrypted-object-format.js';
import type { ObjectCipher } from './object-cipher.js';

/** The master key as the archive needs it: 32 bytes and the id recorded in object headers. */
export interface KeyEncryptionKeySource {
  id: string;
  key: Buffer;
}

const KEK_INFO = 'apivault/archive-object-kek/v1';

export interface EnvelopeObjectCipherOptions {
  /** Bytes of plaintext per sealed chunk (default 64 KiB). */
  chunkSize?: number;
  /**
   * Master keys from before a rotation, to read objects written under them. Archive objects
   * are write-once, so they keep the key they were written with: keep those keys.
   */
  previous?: KeyEncryptionKeySource[];
}

/**
 * Envelope encryption with AES-256-GCM: every object gets a random data key, wrapped under a
 * key derived from the master key (HKDF-SHA256, so the master key itself encrypts nothing
 * here), with the object's plaintext SHA-256 as associated data. Bodies are sealed in chunks
 * (see encrypted-object-format.ts), so neither side ever holds a whole object in memory and
 * no unauthenticated plaintext is released. New objects use the current master key; the header
 * names it, so objects written under a previous key open with that key.
 */
export class EnvelopeObjectCipher implements ObjectCipher {
  readonly format = ENCRYPTED_FORMAT_V1;
  readonly keyId: string;
  private readonly kek: Buffer;
  private readonly keks = new Map<string, Buffer>();
  private readonly chunkSize: number;

  constructor(masterKey: KeyEncryptionKeySource, options: EnvelopeObjectCipherOptions = {}) {
    this.keyId = masterKey.id;
    this.kek = deriveKek(masterKey);
    for (const key of options.previous ?? []) this.keks.set(key.id, deriveKek(key));
    this.keks.set(masterKey.id, this.kek);
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${this.chunkSize}`);
  }

  encryptedSize(plainSize: number): number {
    const chunks = Math.max(1, Math.ceil(plainSize / this.chunkSize));
    return headerLength(this.keyId) + plainSize + chunks * TAG_BYTES;
  }

  async encryptFile(source: string, target: string, contentSha256: string): Promise<StreamDigest> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const wrapIv = randomBytes(IV_BYTES);
    const wrap = createCipheriv('aes-256-gcm', this.kek, wrapIv);
    wrap.setAAD(wrapAad(contentSha256));
    const wrappedKey = Buffer.concat([wrap.update(dataKey), wrap.final()]);
    const header = encodeHeader({
      keyId: this.keyId,
      wrapIv,
      wrappedKey,
      wrapTag: wrap.getAuthTag(),
      noncePrefix: randomBytes(NONCE_PREFIX_BYTES),
      chunkSize: this.chunkSize,
    });
    const sealer = new ChunkSealer(dataKey, decodeHeader(header)!);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const handle = await open(target, 'wx', 0o600);
    try {
      await pipeline(createReadStream(source), sealer, measure, handle.createWriteStream());
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    } finally {
      dataKey.fill(0);
    }
    return { sha256: hash.digest('hex'), size };
  }

  decrypt(stored: Readable, contentSha256: string): Readable {
    const opener = new ChunkOpener((header) => this.unwrap(header, contentSha256));
    // Errors on either side destroy both; the reader sees them on the returned stream.
    return pipelineCallback(stored, opener, () => undefined);
  }

  private unwrap(header: EncryptedObjectHeader, contentSha256: string): Buffer {
    const kek = this.keks.get(header.keyId);
    if (!kek) {
      const loaded = [...this.keks.keys()].join(', ');
      throw new ArchiveDecryptionError(`the object is encrypted under master key ${header.keyId}, but the loaded master key is ${this.keyId}${this.keks.size > 1 ? ` (previous: ${loaded})` : ''}; set APIVAULT_MASTER_KEY_PREVIOUS to read it`);
    }
    const unwrap = createDecipheriv('aes-256-gcm', kek, header.wrapIv);
    unwrap.setAAD(wrapAad(contentSha256));
    unwrap.setAuthTag(header.wrapTag);
    try {
      return Buffer.concat([unwrap.update(header.wrappedKey), unwrap.final()]);
    } catch {
      throw new ArchiveDecryptionError('the data key does not unwrap: the header was altered, or the object belongs to another content key');
    }
  }
}

function deriveKek(key: KeyEncryptionKeySource): Buffer {
  if (key.key.length !== 32) throw new RangeError(`the archive key-encryption key ${key.id} must be 32 bytes, got ${key.key.length}`);
  return Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), KEK_INFO, 32));
}

/** Buffers that arrive in any sizes, taken back out in exact sizes. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  take(count: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const taken = all.subarray(0, count);
    const rest = all.subarray(count);
    this.parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return taken;
  }
}

/** Plaintext in, header + sealed chunks out. A chunk is sealed once it is known not to be the last. */
class ChunkSealer extends Transform {
  private readonly queue = new ByteQueue();
  private index = 0;
  private headerSent = false;

  constructor(
    private readonly dataKey: Buffer,
    private readonly header: EncryptedObjectHeader,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sendHeader();
    this.queue.push(chunk);
    while (this.queue.length > this.header.chunkSize) this.push(this.seal(this.queue.take(this.header.chunkSize), false));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.sendHeader();
    this.push(this.seal(this.queue.take(this.queue.length), true));
    callback();
  }

  private sendHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.push(this.header.bytes);
  }

  private seal(plain: Buffer, last: boolean): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.dataKey, chunkNonce(this.header.noncePrefix, this.index++, last));
    cipher.setAAD(this.header.bytes);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }
}

/** Header + sealed chunks in, authenticated plaintext out, chunk by chunk. */
class ChunkOpener extends Transform {
  private readonly queue = new ByteQueue();
  private header: EncryptedObjectHeader | null = null;
  private dataKey: Buffer | null = null;
  private index = 0;

  constructor(private readonly unwrap: (header: EncryptedObjectHeader) => Buffer) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.queue.push(chunk);
      if (!this.readHeader()) return callback();
      const sealedChunk = this.header!.chunkSize + TAG_BYTES;
      while (this.queue.length > sealedChunk) this.push(this.open(this.queue.take(sealedChunk), false));
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (!this.readHeader()) throw new ArchiveDecryptionError('the encrypted object is truncated inside its header');
      const rest = this.queue.take(this.queue.length);
      if (rest.length < TAG_BYTES) throw new ArchiveDecryptionError('the encrypted object is truncated');
      this.push(this.open(rest, true));
      this.dataKey!.fill(0);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private readHeader(): boolean {
    if (this.header) return true;
    const head = this.queue.take(this.queue.length);
    const header = decodeHeader(head);
    if (!header) {
      this.queue.push(head);
      return false;
    }
    this.dataKey = this.unwrap(header);
    this.header = header;
    this.queue.push(head.subarray(header.bytes.length));
    return true;
  }

  private open(sealed: Buffer, last: boolean): Buffer {
    const header = this.header!;
    const index = this.index++;
    const decipher = createDecipheriv('aes-256-gcm', this.dataKey!, chunkNonce(header.noncePrefix, index, last));
    decipher.setAAD(header.bytes);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ArchiveDecryptionError(`chunk ${index} of the encrypted object failed authentication (altered, reordered or truncated)`);
    }
  }
}
