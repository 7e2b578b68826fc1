import { InvalidArchiveKeyError } from './errors.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const CONTENT_KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * Key of the object holding content with this SHA-256: `sha256/ab/cd/<64 hex>`. The two
 * fan-out levels keep directories (and S3 listing pages) small; lower-case hex only, so one
 * content has exactly one key.
 */
export function contentKey(sha256: string): string {
  if (!isSha256Hex(sha256)) {
    throw new InvalidArchiveKeyError(sha256, 'not a lower-case hex SHA-256 digest');
  }
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The SHA-256 a content key names, or an InvalidArchiveKeyError when it is not one. */
export function parseContentKey(key: string): string {
  const match = CONTENT_KEY.exec(key);
  if (!match || match[3].slice(0, 2) !== match[1] || match[3].slice(2, 4) !== match[2]) {
    throw new InvalidArchiveKeyError(key, 'not a content key (sha256/ab/cd/<64 hex>)');
  }
  return match[3];
}

export function isContentKey(key: string): boolean {
  try {
    parseContentKey(key);
    return true;
  } catch {
    return false;
  }
}
