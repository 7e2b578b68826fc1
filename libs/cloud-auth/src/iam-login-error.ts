/** The IAM call every password login makes, named like connectors name their vendor calls. */
export const IAM_LOGIN_CALL = 'POST /v3/auth/tokens';

export interface IamLoginErrorDetails {
  status?: number;
  /** IAM's own code (`{"error":{"code"}}` or `{"error_code"}`), when it sent one. */
  vendorCode?: string;
  /** Network failures, timeouts, 429 and 5xx may succeed later; a refused password will not. */
  retryable: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * An IAM password login failed. The message names the endpoint, the domain and the user (none
 * of them secret) and quotes IAM's own message; never the password, never a token.
 * `call`/`status`/`vendorCode`/`retryable` have the names VendorCallError uses, so the HTTP
 * client can carry them into the failure it reports.
 */
export class IamLoginError extends Error {
  readonly call = IAM_LOGIN_CALL;
  readonly status?: number;
  readonly vendorCode?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, details: IamLoginErrorDetails) {
    super(message, { cause: details.cause });
    this.name = 'IamLoginError';
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}
