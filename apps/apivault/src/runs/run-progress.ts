import type { Logger } from 'pino';
import type { RunStats } from './run-stats.js';

/**
 * Writes a running run's stats back at most once per interval, one write at a time, and stops
 * before the final outcome is written, so a late progress write never overwrites final stats.
 * A long run also says how far it got in the log every `logIntervalMs`.
 */
export class RunProgressRecorder {
  private lastWrite = 0;
  private lastLog = Date.now();
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly stats: RunStats,
    private readonly write: (stats: RunStats) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly logIntervalMs = 15_000,
  ) {}

  touch(): void {
    if (this.closed || Date.now() - this.lastWrite < this.intervalMs) return;
    this.lastWrite = Date.now();
    const snapshot = { ...this.stats };
    if (this.lastWrite - this.lastLog >= this.logIntervalMs) {
      this.lastLog = this.lastWrite;
      const { callsDone, callsPlanned, artifacts, bytes, itemsParsed } = snapshot;
      this.logger.info({ progress: { callsDone, callsPlanned, artifacts, bytes, itemsParsed } }, 'run progress');
    }
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
