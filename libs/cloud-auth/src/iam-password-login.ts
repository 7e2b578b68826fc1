import type { HuaweiPasswordCredential } from './credentials.js';
import { IamLoginError } from './iam-login-error.js';

/** A token IAM issued, with its validity measured on IAM's clock (issued_at to expires_at). */
export interface IamToken {
  /** The `X-Subject-Token` value: a secret, never to be logged. */
  value: string;
  issuedAt: Date;
  expiresAt: Date;
  /** expires_at - issued_at: the lifetime, independent of any skew between our clock and IAM's. */
  validityMs: number;
}

export interface IamLoginOptions {
  signal?: AbortSignal;
  /** Default 30 s: a login is small, a slow one means IAM is in trouble. */
  timeoutMs?: number;
}

const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;
/** A token answer without the catalog is a few KB; anything much larger is not IAM's answer. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** The endpoint URL without trailing slashes: a path prefix (a proxy, vendor-sim) is kept. */
export function iamTokensUrl(iamEndpoint: string): string {
  return `${iamEndpoint.replace(/\/+$/, '')}/v3/auth/tokens?nocatalog=true`;
}

/** The password identity scoped to a project, as IAM documents it ("Obtaining a User Token Through Password Authentication"). */
export function passwordLoginBody(credential: HuaweiPasswordCredential): string {
  const project = credential.projectId ? { id: credential.projectId } : { name: credential.projectName };
  return JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: credential.userName, password: credential.password, domain: { name: credential.domainName } } },
      },
      scope: { project },
    },
  });
}

function who(credential: HuaweiPasswordCredential): string {
  // The origin only: an endpoint URL may carry user info, which is no business of a log line.
  const at = URL.canParse(credential.iamEndpoint) ? new URL(credential.iamEndpoint).origin : 'an unparseable IAM endpoint';
  return `user "${credential.userName}" of domain "${credential.domainName}" at ${at}`;
}

/** IAM nests Keystone errors (`{"error":{"code","message"}}`); its gateway answers `{"error_code","error_msg"}`. */
function iamErrorOf(text: string): { vendorCode?: string; message?: string } {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const nested = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as Record<string, unknown>;
    const code = nested.code ?? body.error_code;
    const message = nested.message ?? body.error_msg;
    return {
      vendorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
      message: typeof message === 'string' ? message.slice(0, 300) : undefined,
    };
  } catch {
    return {};
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) throw new Error(`the answer exceeds ${maxBytes} bytes`);
      chunks.push(value);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/**
 * Logs in with an IAM user's password and returns the project-scoped token. One attempt:
 * retrying is the caller's decision (IamLoginError says whether it may help).
 */
export async function loginWithPassword(credential: HuaweiPasswordCredential, options: IamLoginOptions = {}): Promise<IamToken> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const subject = who(credential);

  let response: Response;
  let text: string;
  try {
    response = await fetch(iamTokensUrl(credential.iamEndpoint), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=utf8' },
      body: passwordLoginBody(credential),
      signal,
      redirect: 'manual',
    });
    text = await readAtMost(response, MAX_ANSWER_BYTES);
  } catch (cause) {
    const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : options.signal?.aborted ? 'cancelled' : (cause as Error).message;
    throw new IamLoginError(`IAM login of ${subject} failed: ${why}`, { retryable: !options.signal?.aborted, cause });
  }

  if (response.status < 200 || response.status > 299) {
    const { vendorCode, message } = iamErrorOf(text);
    const refused = response.status === 401 || response.status === 403 ? ' (wrong domain, user name or password, or the user may not use this project)' : '';
    throw new IamLoginError(
      // Keystone's code is the status again: say it once.
      `IAM refused the login of ${subject}: ${response.status}${vendorCode && vendorCode !== String(response.status) ? ` ${vendorCode}` : ''}${message ? `: ${message}` : ''}${refused}`,
      {
        status: response.status,
        vendorCode,
        retryable: response.status === 429 || response.status >= 500,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      },
    );
  }

  const value = response.headers.get('x-subject-token');
  let token: Record<string, unknown> = {};
  try {
    const body = JSON.parse(text) as { token?: Record<string, unknown> };
    token = body.token ?? {};
  } catch {
    // Reported below as a missing expires_at.
  }
  const expiresAt = parseTime(token.expires_at);
  const issuedAt = parseTime(token.issued_at) ?? parseTime(response.headers.get('date')) ?? new Date();
  if (!value) throw new IamLoginError(`IAM login of ${subject}: the answer has no X-Subject-Token header`, { status: response.status, retryable: false });
  if (!expiresAt || expiresAt <= issuedAt) {
    throw new IamLoginError(`IAM login of ${subject}: the answer has no valid token.expires_at`, { status: response.status, retryable: false });
  }
  return { value, issuedAt, expiresAt, validityMs: expiresAt.getTime() - issuedAt.getTime() };
}
