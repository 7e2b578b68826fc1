import { ArchiveDecryptionError } from '../errors.js';

/**
 * Layout of an object encrypted at rest (all integers big-endian):
 *
 *   magic "\x89AVLTE\r\n" (8) | version 1 (1) | key id length (1) | key id (ASCII)
 *   | wrap IV (12) | wrapped data key (32) | wrap tag (16) | nonce prefix (7) | chunk size (4)
 *   | chunks: ciphertext (chunk size, the last one 0..chunk size) + GCM tag (16)
 *
 * The magic cannot start a vendor export (zip, JSON, XML, xlsx): objects written before
 * encryption was turned on are recognised as plaintext and still read. The header is the
 * associated data of every chunk, and each chunk's nonce carries its index and a last-chunk
 * flag (the STREAM construction), so altered, reordered or truncated objects fail to decrypt.
 */
export const ENCRYPTED_OBJECT_MAGIC = Buffer.from([0x89, 0x41, 0x56, 0x4c, 0x54, 0x45, 0x0d, 0x0a]);
export const ENCRYPTED_FORMAT_V1 = 'aes-256-gcm-stream/v1';
export const FORMAT_VERSION = 1;
export const IV_BYTES = 12;
export const DATA_KEY_BYTES = 32;
export const TAG_BYTES = 16;
export const NONCE_PREFIX_BYTES = 7;
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export interface EncryptedObjectHeader {
  keyId: string;
  wrapIv: Buffer;
  wrappedKey: Buffer;
  wrapTag: Buffer;
  noncePrefix: Buffer;
  chunkSize: number;
  /** The header's bytes as stored: the associated data of every chunk. */
  bytes: Buffer;
}

export function isEncryptedObjectHead(head: Buffer): boolean {
  return head.length >= ENCRYPTED_OBJECT_MAGIC.length && head.subarray(0, ENCRYPTED_OBJECT_MAGIC.length).equals(ENCRYPTED_OBJECT_MAGIC);
}

export function headerLength(keyId: string): number {
  return ENCRYPTED_OBJECT_MAGIC.length + 2 + Buffer.byteLength(keyId, 'ascii') + IV_BYTES + DATA_KEY_BYTES + TAG_BYTES + NONCE_PREFIX_BYTES + 4;
}

export function encodeHeader(header: Omit<EncryptedObjectHeader, 'bytes'>): Buffer {
  const keyId = Buffer.from(header.keyId, 'ascii');
  if (keyId.length === 0 || keyId.length > 255) throw new RangeError(`key id must be 1..255 ASCII bytes, got ${keyId.length}`);
  const chunkSize = Buffer.alloc(4);
  chunkSize.writeUInt32BE(header.chunkSize);
  return Buffer.concat([
    ENCRYPTED_OBJECT_MAGIC,
    Buffer.from([FORMAT_VERSION, keyId.length]),
    keyId,
    header.wrapIv,
    header.wrappedKey,
    header.wrapTag,
    header.noncePrefix,
    chunkSize,
  ]);
}

/** Parses the header at the start of `bytes`; null when more bytes are needed. */
export function decodeHeader(bytes: Buffer): EncryptedObjectHeader | null {
  const fixed = ENCRYPTED_OBJECT_MAGIC.length + 2;
  if (bytes.length < fixed) return null;
  if (!isEncryptedObjectHead(bytes)) throw new ArchiveDecryptionError('not an encrypted archive object (magic missing)');
  const version = bytes[ENCRYPTED_OBJECT_MAGIC.length]!;
  if (version !== FORMAT_VERSION) throw new ArchiveDecryptionError(`unsupported encrypted object version ${version}`);
  const keyIdLength = bytes[ENCRYPTED_OBJECT_MAGIC.length + 1]!;
  const total = fixed + keyIdLength + IV_BYTES + DATA_KEY_BYTES + TAG_BYTES + NONCE_PREFIX_BYTES + 4;
  if (bytes.length < total) return null;
  let offset = fixed;
  const take = (length: number): Buffer => {
    const part = bytes.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const keyId = take(keyIdLength).toString('ascii');
  const wrapIv = take(IV_BYTES);
  const wrappedKey = take(DATA_KEY_BYTES);
  const wrapTag = take(TAG_BYTES);
  const noncePrefix = take(NONCE_PREFIX_BYTES);
  const chunkSize = take(4).readUInt32BE();
  if (chunkSize === 0) throw new ArchiveDecryptionError('encrypted object header declares a chunk size of 0');
  return { keyId, wrapIv, wrappedKey, wrapTag, noncePrefix, chunkSize, bytes: Buffer.from(bytes.subarray(0, total)) };
}

/** Nonce of chunk `index`: prefix | index (4) | 1 on the last chunk, else 0. */
export function chunkNonce(prefix: Buffer, index: number, last: boolean): Buffer {
  if (index > 0xffffffff) throw new RangeError('object has too many chunks for one data key');
  const nonce = Buffer.alloc(IV_BYTES);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce[IV_BYTES - 1] = last ? 1 : 0;
  return nonce;
}

/** Associated data of the wrapped data key: binds the key (hence the object) to its content hash. */
export function wrapAad(contentSha256: string): Buffer {
  return Buffer.from(`apivault archive object v1 ${contentSha256}`, 'ascii');
}
