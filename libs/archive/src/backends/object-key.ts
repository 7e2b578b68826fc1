import { InvalidArchiveKeyError } from '../errors.js';

const MAX_KEY_BYTES = 1024; // S3's limit, applied everywhere so a key valid on disk is valid in S3
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Rejects keys that could escape a filesystem root or mean different things on different
 * stores: absolute paths, `..`, backslashes (a separator on Windows), empty segments, control
 * characters, and segments starting with `.` (reserved for temp files and probes).
 */
export function assertValidObjectKey(key: string): void {
  checkCharacters(key);
  if (key.length === 0) throw new InvalidArchiveKeyError(key, 'empty');
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidArchiveKeyError(key, 'absolute, or has an empty segment');
    if (segment.startsWith('.')) throw new InvalidArchiveKeyError(key, 'a segment starts with "."');
  }
}

/** A list prefix may end mid-segment or with `/`, but obeys the same rules otherwise. */
export function assertValidListPrefix(prefix: string): void {
  if (prefix === '') return;
  checkCharacters(prefix);
  const segments = prefix.split('/');
  const whole = prefix.endsWith('/') ? segments.slice(0, -1) : segments;
  for (const segment of whole) {
    if (segment === '') throw new InvalidArchiveKeyError(prefix, 'absolute, or has an empty segment');
    if (segment.startsWith('.')) throw new InvalidArchiveKeyError(prefix, 'a segment starts with "."');
  }
}

function checkCharacters(key: string): void {
  if (key.includes('\\')) throw new InvalidArchiveKeyError(key, 'contains a backslash');
  if (CONTROL_CHARACTER.test(key)) throw new InvalidArchiveKeyError(key, 'contains a control character');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidArchiveKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  }
}
