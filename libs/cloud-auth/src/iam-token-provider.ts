import { createHmac, randomBytes } from 'node:crypto';
import type { HuaweiPasswordCredential } from './credentials.js';
import { IamLoginError } from './iam-login-error.js';
import { loginWithPassword, type IamLoginOptions, type IamToken } from './iam-password-login.js';

export type IamLogin = (credential: HuaweiPasswordCredential, options?: IamLoginOptions) => Promise<IamToken>;

export interface IamTokenProviderOptions {
  /** How to log in; default a real `POST /v3/auth/tokens`. */
  login?: IamLogin;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

interface CachedToken {
  value: string;
  /** On our clock: when the token stops being valid (obtained + IAM's validity). */
  expiresAt: number;
  /** On our clock: from then on, callers trigger a refresh. */
  refreshAt: number;
}

const HOUR_MS = 3_600_000;
/** After a failed refresh while the old token is still good, wait this long before trying again. */
const REFRESH_RETRY_MS = 30_000;
/**
 * A refused password (wrong user, password or project) is not tried again for this long: IAM
 * locks users after repeated failures, and every call of every run would otherwise try again.
 * Changing the credential's password changes its cache key, so a fix takes effect at once.
 */
export const LOGIN_REFUSAL_MEMORY_MS = 60_000;

/**
 * How long before expiry to renew: an hour, or a tenth of the lifetime when that is shorter (a
 * 24 h token is renewed with 1 h left, a 10 s test token with 1 s left). Calls in flight at
 * expiry would fail otherwise; IAM itself advises against using a token about to expire.
 */
export function refreshMarginMs(validityMs: number): number {
  return Math.min(HOUR_MS, validityMs / 10);
}

/**
 * IAM tokens for password credentials: one login per (endpoint, domain, user, project, password),
 * cached until shortly before expiry, and one login shared by every caller that needs it at the
 * same time (IAM throttles logins, and a run may start many calls at once). Tokens are kept in
 * memory only and never logged. A password change gives another cache entry, so a token obtained
 * with an old password is not reused for a credential that now says otherwise.
 */
export class IamTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly refusals = new Map<string, { error: IamLoginError; until: number }>();
  /** Keys the password fingerprint in cache keys, so the cache holds no plain hash of a password. */
  private readonly fingerprintKey = randomBytes(32);
  private readonly login: IamLogin;
  private readonly now: () => number;

  constructor(options: IamTokenProviderOptions = {}) {
    this.login = options.login ?? loginWithPassword;
    this.now = options.now ?? Date.now;
  }

  /** A valid token for the credential: the cached one, or the result of a (shared) login. */
  async token(credential: HuaweiPasswordCredential, signal?: AbortSignal): Promise<string> {
    const key = this.keyOf(credential);
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.value;
    const refusal = this.refusals.get(key);
    if (refusal && this.now() < refusal.until) {
      const { message, status, vendorCode } = refusal.error;
      throw new IamLoginError(`${message} [not sent again: refused less than ${LOGIN_REFUSAL_MEMORY_MS / 1000} s ago]`, { status, vendorCode, retryable: false });
    }
    try {
      return (await abortable(this.sharedLogin(key, credential), signal)).value;
    } catch (error) {
      // IAM failing while the token we hold is still good must not stop the run: use it, and
      // let the next caller after a pause try again.
      if (cached && !signal?.aborted && this.now() < cached.expiresAt && this.cache.get(key) === cached) {
        cached.refreshAt = Math.min(cached.expiresAt, this.now() + REFRESH_RETRY_MS);
        return cached.value;
      }
      throw error;
    }
  }

  /**
   * Forgets the credential's token, e.g. after a 401 (revoked, or the password changed). When
   * `token` is given, only that token is forgotten: after a burst of 401s on one token, the
   * first caller's renewal is not thrown away by the others.
   */
  invalidate(credential: HuaweiPasswordCredential, token?: string): void {
    const key = this.keyOf(credential);
    const cached = this.cache.get(key);
    if (cached && (token === undefined || cached.value === token)) this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
    this.refusals.clear();
  }

  private sharedLogin(key: string, credential: HuaweiPasswordCredential): Promise<CachedToken> {
    let login = this.pending.get(key);
    if (!login) {
      // Not tied to any caller's signal: one caller giving up must not fail the others' login.
      login = this.loginAndCache(key, credential).finally(() => this.pending.delete(key));
      this.pending.set(key, login);
    }
    return login;
  }

  private async loginAndCache(key: string, credential: HuaweiPasswordCredential): Promise<CachedToken> {
    const startedAt = this.now();
    let token: IamToken;
    try {
      token = await this.login(credential);
    } catch (error) {
      if (error instanceof IamLoginError && !error.retryable) this.refusals.set(key, { error, until: this.now() + LOGIN_REFUSAL_MEMORY_MS });
      throw error;
    }
    this.refusals.delete(key);
    // Measured from when we asked, on our clock: IAM's clock may differ from ours.
    const expiresAt = startedAt + token.validityMs;
    const cached: CachedToken = { value: token.value, expiresAt, refreshAt: expiresAt - refreshMarginMs(token.validityMs) };
    this.pruneExpired();
    this.cache.set(key, cached);
    return cached;
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [key, cached] of this.cache) if (cached.expiresAt <= now) this.cache.delete(key);
  }

  private keyOf(credential: HuaweiPasswordCredential): string {
    const password = createHmac('sha256', this.fingerprintKey).update(credential.password, 'utf8').digest('base64url');
    const endpoint = credential.iamEndpoint.replace(/\/+$/, '');
    return JSON.stringify([endpoint, credential.domainName, credential.userName, credential.projectId ?? '', credential.projectName ?? '', password]);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The process-wide provider: runs of the same source share its token across runs. */
export const sharedIamTokenProvider = new IamTokenProvider();
