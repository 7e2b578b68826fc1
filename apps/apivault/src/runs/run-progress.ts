import type { Logger } from 'pino';
import type { RunStats } from './run-stats.js';

/**
 * Writes a running run's stats back at most once per interval, one write at a time, and stops
 * before the final outcome is written, so a late progress write never overwrites final stats.
 */
export class RunProgressRecorder {
  private lastWrite = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly stats: RunStats,
    private readonly write: (stats: RunStats) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  touch(): void {
    if (this.closed || Date.now() - this.lastWrite < this.intervalMs) return;
    this.lastWrite = Date.now();
    const snapshot = { ...this.stats };
    this.inFlight = this.inFlight
      .then(() => this.write(snapshot))
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error }, 'could not record run progress'),
      );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
  }
}
