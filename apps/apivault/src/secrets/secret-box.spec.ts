import { randomBytes } from 'node:crypto';
import { masterKeyFromBytes } from './master-key.js';
import { SecretBox } from './secret-box.js';

describe('SecretBox key ring', () => {
  const oldKey = masterKeyFromBytes(randomBytes(32), 'old');
  const newKey = masterKeyFromBytes(randomBytes(32), 'new');

  it('seals with the current key and opens what a previous key sealed', () => {
    const sealedOld = new SecretBox(oldKey).seal(Buffer.from('s3cret'), 'credential:1');
    const ring = new SecretBox(newKey, [oldKey]);
    expect(ring.keyId).toBe(newKey.id);
    expect(ring.open(sealedOld, 'credential:1', oldKey.id).toString()).toBe('s3cret');
    expect(ring.open(ring.seal(Buffer.from('x'), 'a'), 'a', newKey.id).toString()).toBe('x');
    expect(ring.canOpen(oldKey.id)).toBe(true);
  });

  it('names the missing key instead of failing obscurely, and never opens under the wrong associated data', () => {
    const sealedOld = new SecretBox(oldKey).seal(Buffer.from('s3cret'), 'credential:1');
    expect(() => new SecretBox(newKey).open(sealedOld, 'credential:1', oldKey.id)).toThrow(/APIVAULT_MASTER_KEY_PREVIOUS/);
    expect(() => new SecretBox(newKey, [oldKey]).open(sealedOld, 'credential:2', oldKey.id)).toThrow(/failed authentication/);
  });
});
