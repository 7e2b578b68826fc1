import { bearerToken, generateTokenSecret, hashTokenSecret, tokenPrefix } from './api-token-secret.js';

describe('API token secrets', () => {
  it('are 32 random bytes behind a recognisable marker, identified by a short prefix and stored as SHA-256', () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a).toMatch(/^avt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(tokenPrefix(a)).toBe(a.slice(0, 12));
    expect(hashTokenSecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenSecret(a)).not.toBe(hashTokenSecret(b));
  });

  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer avt_x')).toBe('avt_x');
    expect(bearerToken('bearer   avt_x ')).toBe('avt_x');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
