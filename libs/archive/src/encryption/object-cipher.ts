import type { Readable } from 'node:stream';
import type { StreamDigest } from '../digest-stream.js';

/**
 * Encrypts archive objects at rest. The content key stays the SHA-256 of the plaintext, so
 * dedup and verification work as before; the cipher binds each ciphertext to that hash, so an
 * object moved to another key no longer decrypts.
 */
export interface ObjectCipher {
  /** The at-rest format, recorded with stored digests and in snapshots, e.g. "aes-256-gcm-stream/v1". */
  readonly format: string;
  /** Which key encrypts new objects (the master key id), recorded in every object's header. */
  readonly keyId: string;

  /** Writes the encrypted form of the plaintext file `source` to the new file `target`. */
  encryptFile(source: string, target: string, contentSha256: string): Promise<StreamDigest>;

  /** Size of the encrypted form of a plaintext of `plainSize` bytes (size-only verification). */
  encryptedSize(plainSize: number): number;

  /** The plaintext of a stored encrypted object; the stream errors if anything was altered. */
  decrypt(stored: Readable, contentSha256: string): Readable;
}
