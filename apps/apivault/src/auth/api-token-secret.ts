import { createHash, randomBytes } from 'node:crypto';

/** Every token starts with this, so secret scanners and people can tell what it is. */
export const TOKEN_MARKER = 'avt_';
const PREFIX_LENGTH = TOKEN_MARKER.length + 8;

/** A new bearer token: 32 random bytes, base64url. Only its hash and prefix are ever stored. */
export function generateTokenSecret(): string {
  return `${TOKEN_MARKER}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 is enough here (no salt, no slow hash): the secret is 256 random bits, so there is no
 * dictionary to try, and a fast lookup by hash keeps every request cheap.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The token's first characters: shown in lists and the audit log to tell tokens apart. */
export function tokenPrefix(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}

/** The token in an `Authorization: Bearer <token>` header, or null when the header is not that. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
