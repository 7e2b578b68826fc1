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
}

export class ConnectorError extends Error {
  constructor(
    readonly stage: FailureStage,
    readonly code: string,
    message: string,
    readonly extra: Omit<FailureDetails, 'stage' | 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toDetails(): FailureDetails {
    return { stage: this.stage, code: this.code, message: this.message, ...this.extra };
  }
}

/** The source's configuration is invalid; raised before any vendor call. */
export class ConfigError extends ConnectorError {
  constructor(message: string) {
    super('config', 'INVALID_CONFIG', message);
  }
}

/** A vendor call failed: non-2xx, an error body, a wrong content type, a timeout, a reset. */
export class VendorCallError extends ConnectorError {
  constructor(
    message: string,
    extra: { call: string; status?: number; vendorCode?: string; code?: string },
  ) {
    super('fetch', extra.code ?? 'VENDOR_CALL_FAILED', message, {
      call: extra.call,
      status: extra.status,
      vendorCode: extra.vendorCode,
    });
  }
}

/** A raw export is unsafe or unreadable: zip-slip, zip bomb, truncated, not a zip, bad JSON. */
export class ArtifactFormatError extends ConnectorError {
  constructor(code: string, message: string, artifact?: string) {
    super('parse', code, message, { artifact });
  }
}
