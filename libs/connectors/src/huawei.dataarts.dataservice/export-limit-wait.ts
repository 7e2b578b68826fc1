import type { Logger } from 'pino';
import { VendorCallError } from '../errors.js';
import { abortableDelay } from '../http/abortable-delay.js';

/**
 * How the connector waits out DataService's "one full export per minute per workspace" (VENDORS.md
 * section 1). The HTTP client already retries a 429 a few times on its own short backoff; when it
 * gives up (or the vendor answered the limit with another status), this loop waits the limit out:
 * the vendor's Retry-After when it sends one, else the next wait of `waitsMs`, up to about a
 * minute, then tries again.
 */
export interface ExportLimitBackoff {
  /** Waits without Retry-After, one per retry; their number is the number of retries. */
  waitsMs: readonly number[];
  /** The longest Retry-After honoured as given (longer ones are cut to this). */
  maxRetryAfterMs: number;
}

export const DEFAULT_EXPORT_LIMIT_BACKOFF: Readonly<ExportLimitBackoff> = {
  waitsMs: [10_000, 20_000, 40_000, 65_000, 65_000],
  maxRetryAfterMs: 120_000,
};

/** Retry-After has whole seconds: a little more than it says, so the window has surely closed. */
const RETRY_AFTER_MARGIN_MS = 250;

/** vendor-sim's code; real consoles word it "export too frequently" / "导出过于频繁". */
const EXPORT_LIMIT_CODES = new Set(['DLS.1029']);
const EXPORT_LIMIT_WORDS = /too frequent|per minute|try again later|频繁|每分钟/i;

/** Whether a failed export is the per-minute limit (or any throttling, which is waited out the same way). */
export function isExportLimitAnswer(error: unknown): error is VendorCallError {
  if (!(error instanceof VendorCallError) || error.code !== 'HTTP_ERROR') return false;
  const { status, vendorCode } = error.extra;
  if (status === 429 || (vendorCode !== undefined && EXPORT_LIMIT_CODES.has(vendorCode))) return true;
  return status === 400 && EXPORT_LIMIT_WORDS.test(error.message);
}

export interface ExportLimitWaitOptions {
  call: string;
  workspace: string;
  signal: AbortSignal;
  logger: Logger;
  backoff?: ExportLimitBackoff;
}

export async function waitingOutExportLimit<T>(send: () => Promise<T>, options: ExportLimitWaitOptions): Promise<T> {
  const backoff = options.backoff ?? DEFAULT_EXPORT_LIMIT_BACKOFF;
  for (let retry = 0; ; retry++) {
    try {
      return await send();
    } catch (error) {
      if (!isExportLimitAnswer(error) || retry >= backoff.waitsMs.length) throw error;
      const waitMs =
        error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs + RETRY_AFTER_MARGIN_MS, backoff.maxRetryAfterMs) : backoff.waitsMs[retry];
      options.logger.info(
        { call: options.call, workspace: options.workspace, status: error.extra.status, vendorCode: error.extra.vendorCode, waitMs, retry: retry + 1 },
        'DataService export limit: waiting before exporting again',
      );
      try {
        await abortableDelay(waitMs, options.signal);
      } catch (cause) {
        throw new VendorCallError(`${options.call}: cancelled while waiting out the export limit (the run was aborted)`, {
          call: options.call,
          code: 'ABORTED',
          cause,
        });
      }
    }
  }
}
