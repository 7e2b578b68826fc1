import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An IAM user the simulator accepts for password logins. */
export interface IamUser {
  domainName: string;
  userName: string;
  password: string;
}

export interface IssuedToken {
  /** The `X-Subject-Token` value. */
  value: string;
  user: IamUser;
  issuedAt: Date;
  expiresAt: Date;
}

export type TokenVerdict = 'valid' | 'expired' | 'unknown';

/** IAM's default token lifetime (confirmed: "The validity period of a token is 24 hours"). */
export const DEFAULT_TOKEN_VALIDITY_SECONDS = 24 * 3600;

/** Stable ids derived from names: IAM ids are 32 hex digits. */
export function iamId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The simulated IAM: who may log in, and the tokens it issued. Issued tokens are accepted as
 * `X-Auth-Token` by the gateway until they expire (then 401), or until a test revokes them
 * (a changed password invalidates tokens for real, within 30 minutes).
 */
export class IamState {
  private readonly usersByKey = new Map<string, IamUser>();
  private readonly tokens = new Map<string, IssuedToken>();
  private issued = 0;

  constructor(
    users: readonly IamUser[],
    /** Lifetime of new tokens; fractions allowed, so tests can watch one expire. */
    public tokenValiditySeconds: number = DEFAULT_TOKEN_VALIDITY_SECONDS,
    private readonly now: () => Date = () => new Date(),
  ) {
    for (const user of users) this.addUser(user);
  }

  users(): IamUser[] {
    return [...this.usersByKey.values()].map((user) => ({ ...user }));
  }

  addUser(user: IamUser): void {
    for (const [field, value] of Object.entries(user)) {
      if (typeof value !== 'string' || value === '') throw new TypeError(`IAM user: ${field} must be a non-empty string`);
    }
    this.usersByKey.set(userKey(user.domainName, user.userName), { ...user });
  }

  /** The user, when the password is right; undefined for any mismatch (IAM does not say which part was wrong). */
  authenticate(domainName: string, userName: string, password: string): IamUser | undefined {
    const user = this.usersByKey.get(userKey(domainName, userName));
    return user && equalSecrets(user.password, password) ? { ...user } : undefined;
  }

  issue(user: IamUser): IssuedToken {
    this.pruneExpired();
    const issuedAt = this.now();
    const token: IssuedToken = {
      // Shaped like a real PKI token's opening (`MII...`), long and random, never a real one.
      value: `MIISIMIAM${randomBytes(96).toString('base64url')}`,
      user: { ...user },
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + this.tokenValiditySeconds * 1000),
    };
    this.tokens.set(token.value, token);
    this.issued++;
    return token;
  }

  verify(value: string): TokenVerdict {
    const token = this.tokens.get(value);
    if (!token) return 'unknown';
    return this.now() < token.expiresAt ? 'valid' : 'expired';
  }

  /** Forgets every issued token (as a password change does): the next call with one is a 401. */
  revokeAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  /** The tokens issued and not yet forgotten, for tests that check no token leaked anywhere. */
  issuedTokenValues(): string[] {
    return [...this.tokens.keys()];
  }

  /** How many tokens were issued since start: tests count logins with it. */
  get issuedCount(): number {
    return this.issued;
  }

  private pruneExpired(): void {
    // Keep expired tokens for a while so a late call still gets "expired", not "unknown".
    const horizon = this.now().getTime() - 3600_000;
    for (const [value, token] of this.tokens) if (token.expiresAt.getTime() < horizon) this.tokens.delete(value);
  }
}

function userKey(domainName: string, userName: string): string {
  return `${domainName}\u0000${userName}`;
}
