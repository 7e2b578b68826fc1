import type { Logger } from 'pino';
import { LeaseLostError, type RunClaimRepository, type RunLeaseToken } from '#catalog';
import { RunCancelledError } from '../run-control/run-cancellation.js';

/**
 * Keeps a claimed run's lease alive while this replica executes it: renews every third of the
 * lease, and stops the run (through `abort`) when the lease is gone (another replica took the
 * run over), when renewals kept failing until the lease must have expired, or when an operator
 * asked any replica to cancel it.
 */
export class RunLease {
  private timer: NodeJS.Timeout | null = null;
  private renewing = false;
  private lastRenewedAt = Date.now();

  constructor(
    readonly token: RunLeaseToken,
    private readonly claims: RunClaimRepository,
    private readonly leaseMs: number,
    private readonly abort: (reason: Error) => void,
    private readonly logger: Logger,
  ) {}

  start(): this {
    this.timer = setInterval(() => void this.renew(), Math.max(200, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async renew(): Promise<void> {
    // A renewal can wait behind the run's own catalog transaction (it locks the run row): never pile up.
    if (this.renewing || !this.timer) return;
    this.renewing = true;
    try {
      const { held, cancelRequestedBy } = await this.claims.renew(this.token, this.leaseMs);
      if (!this.timer) return;
      if (!held) {
        this.logger.warn({ attempt: this.token.attempt }, 'lease lost: the run was taken over or ended elsewhere; stopping here');
        this.abort(new LeaseLostError(this.token, 'another replica took the run over'));
        return;
      }
      this.lastRenewedAt = Date.now();
      if (cancelRequestedBy) this.abort(new RunCancelledError(cancelRequestedBy));
    } catch (error) {
      const silentFor = Date.now() - this.lastRenewedAt;
      this.logger.warn({ err: error, silentForMs: silentFor }, 'could not renew the run lease');
      if (silentFor >= this.leaseMs) this.abort(new LeaseLostError(this.token, `no renewal for ${silentFor} ms`));
    } finally {
      this.renewing = false;
    }
  }
}
