import type { Logger } from 'pino';
import { VendorCallError, type VendorCallErrorCode } from '../errors.js';
import { abortableDelay } from './abortable-delay.js';
import { fullJitterBackoffMs, isIdempotentCall, type RetryPolicy } from './retry-policy.js';

/**
 * The retries of one logical vendor call: counts the sends, remembers whether the credential was
 * renewed and whether anything sent is unsafe to repeat, waits between tries and words the
 * error that ends them.
 */
export class CallRetries {
  /** Requests actually sent, resends after a renewed credential included. */
  attempts = 0;
  /** The credential is renewed at most once per call: a second 401 is the answer. */
  renewed = false;
  private unsafeMethod: string | undefined;

  constructor(
    private readonly call: string,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger | undefined,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a request about to be sent; one that is not idempotent makes the whole call unrepeatable. */
  sending(method: string, idempotent: boolean | undefined): void {
    this.attempts++;
    if (!isIdempotentCall(method, idempotent)) this.unsafeMethod ??= method.toUpperCase();
  }

  async run<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await work();
      } catch (error) {
        const { waitMs, basis } = this.waitBeforeRetry(error, tries);
        const failure = error as VendorCallError;
        this.logger?.warn(
          {
            call: this.call,
            attempt: tries,
            maxAttempts: this.policy.maxAttempts,
            status: failure.extra.status,
            vendorCode: failure.extra.vendorCode,
            code: failure.code,
            waitMs,
            basis,
          },
          'vendor call failed; retrying',
        );
        try {
          await abortableDelay(waitMs, signal);
        } catch (cause) {
          throw new VendorCallError(
            `${this.call}: cancelled while waiting ${seconds(waitMs)} to retry (the run was aborted); last failure: ${failure.message}`,
            { call: this.call, code: 'ABORTED', attempts: this.attempts, cause },
          );
        }
      }
    }
  }

  /** How long to wait before the next try, or throws the error that ends the call. */
  private waitBeforeRetry(error: unknown, tries: number): { waitMs: number; basis: 'retry-after' | 'backoff' } {
    if (!(error instanceof VendorCallError)) throw error;
    // Retrying switched off: the error is the one answer, nothing to add.
    if (this.policy.maxAttempts <= 1 && this.attempts <= 1) throw error;
    if (!error.retryable || error.code === 'ABORTED') throw this.final(error, this.attempts > 1 ? `after ${attemptsText(this.attempts)}` : undefined);
    if (this.unsafeMethod) {
      throw this.final(error, `not retried: a ${this.unsafeMethod} is repeated only when the request is marked idempotent; ${attemptsText(this.attempts)}`);
    }
    if (tries >= this.policy.maxAttempts) throw this.final(error, `gave up after ${attemptsText(this.attempts)}`);
    const retryAfterMs = error.retryAfterMs;
    if (retryAfterMs !== undefined) {
      if (retryAfterMs > this.policy.maxRetryAfterMs) {
        throw this.final(
          error,
          `not retried: the vendor asked to wait ${seconds(retryAfterMs)}, more than the ${seconds(this.policy.maxRetryAfterMs)} ` +
            `allowed (maxRetryAfterMs); ${attemptsText(this.attempts)}`,
        );
      }
      return { waitMs: retryAfterMs, basis: 'retry-after' };
    }
    return { waitMs: fullJitterBackoffMs(tries, this.policy, this.random), basis: 'backoff' };
  }

  /** The error the caller sees: the last failure, with what was tried. */
  private final(error: VendorCallError, note: string | undefined): VendorCallError {
    if (!note) return error;
    return new VendorCallError(`${error.message} (${note})`, {
      call: error.extra.call ?? this.call,
      status: error.extra.status,
      vendorCode: error.extra.vendorCode,
      code: error.code as VendorCallErrorCode,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      attempts: this.attempts,
      cause: error,
    });
  }
}

function attemptsText(count: number): string {
  return count === 1 ? '1 attempt' : `${count} attempts`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
