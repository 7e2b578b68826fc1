import { performance } from 'node:perf_hooks';

export type ExportAdmission = { admitted: true } | { admitted: false; retryAfterMs: number };

/**
 * The console's rule "one full export per minute per workspace" (VENDORS.md section 1). Measured
 * on a monotonic clock, not on the export clock (`deps.now()`): a test that freezes the export
 * time must not freeze the window with it.
 */
export class ExportRateLimiter {
  private readonly lastExportAt = new Map<string, number>();

  constructor(
    /** Length of the window; 0 turns the limit off. Tests shorten it (e.g. 300 ms). */
    public windowMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Admits an export of the workspace and starts its window, or says how long to wait. */
  admit(workspace: string): ExportAdmission {
    const now = this.clock();
    const last = this.lastExportAt.get(workspace);
    if (last !== undefined && this.windowMs > 0) {
      const elapsed = now - last;
      if (elapsed < this.windowMs) return { admitted: false, retryAfterMs: Math.ceil(this.windowMs - elapsed) };
    }
    this.lastExportAt.set(workspace, now);
    return { admitted: true };
  }

  /** Forgets every window (the next export of any workspace is admitted). */
  reset(): void {
    this.lastExportAt.clear();
  }
}
