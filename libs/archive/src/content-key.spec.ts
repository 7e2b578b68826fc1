import { createHash } from 'node:crypto';
import { contentKey, isContentKey, parseContentKey } from './content-key.js';
import { InvalidArchiveKeyError } from './errors.js';

const sha256 = createHash('sha256').update('apivault').digest('hex');

describe('content keys', () => {
  it('fan out by the first two bytes of the hash', () => {
    expect(contentKey(sha256)).toBe(`sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
  });

  it('parse back to the hash', () => {
    expect(parseContentKey(contentKey(sha256))).toBe(sha256);
    expect(isContentKey(contentKey(sha256))).toBe(true);
  });

  it.each([sha256.toUpperCase(), sha256.slice(1), `${sha256}0`, 'not-a-hash', ''])('refuse the digest %j', (digest) => {
    expect(() => contentKey(digest)).toThrow(InvalidArchiveKeyError);
  });

  it.each([
    `sha256/00/00/${sha256}`,
    `sha256/${sha256}`,
    `sha1/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`,
    `${contentKey(sha256)}/`,
  ])('refuse to parse %j', (key) => {
    expect(() => parseContentKey(key)).toThrow(InvalidArchiveKeyError);
    expect(isContentKey(key)).toBe(false);
  });
});
