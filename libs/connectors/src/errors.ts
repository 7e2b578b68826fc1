/**
 * Errors a connector raises. Each carries what an operator needs to act: which stage failed,
 * which vendor call, the HTTP status and the vendor's own error code. Messages never include
 * credentials or response bodies beyond a short, sanitized excerpt.
 */
export type FailureStage = 'config' | 'fetch' | 'archive' | 'parse' | 'write';

export interface FailureDetails {
  stage: FailureStage;
  code: string;
  message: string;
  call?: string;
  status?: number;
  vendorCode?: string;
  artifact?: string;
  /** How many times the vendor call was sent, when it was sent more than once. */
  attempts?: number;
}

export class ConnectorError extends Error {
  constructor(
    readonly stage: FailureStage,
    readonly code: string,
    message: string,
    readonly extra: Omit<FailureDetails, 'stage' | 'code' | 'message'> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Fields that do not apply (no HTTP status, no vendor code) are left out, not written as undefined. */
  toDetails(): FailureDetails {
    const extra = Object.fromEntries(Object.entries(this.extra).filter(([, value]) => value !== undefined));
    return { stage: this.stage, code: this.code, message: this.message, ...extra };
  }
}

/** The source's configuration is invalid; raised before any vendor call. */
export class ConfigError extends ConnectorError {
  constructor(message: string) {
    super('config', 'INVALID_CONFIG', message);
  }
}

/**
 * How a vendor call failed. HTTP_ERROR: a non-2xx answer; UNEXPECTED_CONTENT: a 2xx whose body
 * is not what the call returns (an HTML login page instead of a zip); NETWORK: refused, reset,
 * DNS; TIMEOUT: the per-call timeout fired; ABORTED: the run was cancelled; RESPONSE_TOO_LARGE:
 * the body is over the call's `maxResponseBytes`.
 */
export type VendorCallErrorCode = 'HTTP_ERROR' | 'UNEXPECTED_CONTENT' | 'NETWORK' | 'TIMEOUT' | 'ABORTED' | 'RESPONSE_TOO_LARGE';

export interface VendorCallErrorExtra {
  call: string;
  status?: number;
  vendorCode?: string;
  code?: VendorCallErrorCode;
  /** Whether the same call may succeed if repeated (throttling, 5xx, network, timeout). */
  retryable?: boolean;
  /** The vendor's Retry-After, when it sent one. */
  retryAfterMs?: number;
  /** How many times the call was sent (set by the HTTP client's retry loop). */
  attempts?: number;
  cause?: unknown;
}

/** A vendor call failed: non-2xx, an error body, a wrong content type, a timeout, a reset. */
export class VendorCallError extends ConnectorError {
  /**
   * Whether this kind of failure may pass if the call is repeated. The HTTP client's retry loop
   * reads it; on the error it finally throws, it still describes the failure, not whether more
   * retries would help.
   */
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly attempts?: number;

  constructor(message: string, extra: VendorCallErrorExtra) {
    super(
      'fetch',
      extra.code ?? 'VENDOR_CALL_FAILED',
      message,
      {
        call: extra.call,
        status: extra.status,
        vendorCode: extra.vendorCode,
        ...(extra.attempts !== undefined && extra.attempts > 1 ? { attempts: extra.attempts } : {}),
      },
      { cause: extra.cause },
    );
    this.retryable = extra.retryable ?? false;
    this.retryAfterMs = extra.retryAfterMs;
    this.attempts = extra.attempts;
  }
}

/**
 * Why a zip export was refused. The reader refuses rather than skips: an archive that tries any
 * of these is hostile or broken, and a partial read would look like deleted catalog items.
 */
export type ZipErrorCode =
  | 'NOT_A_ZIP'
  | 'ZIP_TRUNCATED'
  | 'ZIP_CORRUPT'
  | 'ZIP_SLIP'
  | 'ZIP_SYMLINK'
  | 'ZIP_ENCRYPTED'
  | 'ZIP_UNSUPPORTED'
  | 'ZIP_BOMB'
  | 'ZIP_TOO_LARGE'
  | 'ZIP_TOO_MANY_ENTRIES';

/** A raw export is unsafe or unreadable: zip-slip, zip bomb, truncated, not a zip, bad JSON. */
export class ArtifactFormatError extends ConnectorError {
  constructor(code: ZipErrorCode | (string & {}), message: string, artifact?: string, options?: { cause?: unknown }) {
    super('parse', code, message, { artifact }, options);
  }
}
