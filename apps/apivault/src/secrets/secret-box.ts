import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey } from './master-key.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under the master key. Layout: version(1) | iv(12) | tag(16) | ciphertext.
 * The associated data binds a ciphertext to its row (e.g. "credential:<id>"), so a ciphertext
 * copied onto another row fails to decrypt instead of silently handing over another secret.
 */
export class SecretBox {
  private readonly openers: Map<string, MasterKey>;

  /**
   * Seals with `masterKey`; opens with it or any of `previousKeys` (by key id), so secrets sealed
   * before a rotation stay readable until `apivault keys rotate` re-seals them.
   */
  constructor(
    private readonly masterKey: MasterKey,
    previousKeys: readonly MasterKey[] = [],
  ) {
    this.openers = new Map([...previousKeys, masterKey].map((key) => [key.id, key]));
  }

  get keyId(): string {
    return this.masterKey.id;
  }

  /** Whether a secret sealed under `keyId` can be opened. */
  canOpen(keyId: string): boolean {
    return this.openers.has(keyId);
  }

  seal(plaintext: Buffer, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, associatedData: string, keyId: string): Buffer {
    const key = this.openers.get(keyId);
    if (!key) {
      throw new Error(`Secret was sealed with master key ${keyId}, but the loaded key is ${this.masterKey.id} (after a rotation, give the old key as APIVAULT_MASTER_KEY_PREVIOUS)`);
    }
    const bytes = Buffer.from(sealed);
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw new Error('Sealed secret is malformed');
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error('Sealed secret failed authentication (wrong key, or altered or moved ciphertext)');
    }
  }
}
