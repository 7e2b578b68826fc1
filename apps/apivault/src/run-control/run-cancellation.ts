import { Injectable } from '@nestjs/common';

/** The reason a cancelled run's signal carries, and what its error says. */
export class RunCancelledError extends Error {
  readonly code = 'CANCELLED';

  constructor(readonly by: string) {
    super(`cancelled by ${by}`);
    this.name = 'RunCancelledError';
  }
}

/**
 * Cooperative cancellation of the runs this process is executing: the run engine registers each
 * run's abort signal (the ConnectorContext signal, which also cancels vendor calls and retry
 * waits), and `cancel` aborts it. The engine checks the signal between artifacts and before it
 * writes the catalog, so a cancelled run changes nothing.
 */
@Injectable()
export class RunCancellation {
  private readonly controllers = new Map<string, AbortController>();

  register(runId: string): AbortSignal {
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    return controller.signal;
  }

  release(runId: string): void {
    this.controllers.delete(runId);
  }

  /** False when this process is not running that run. */
  cancel(runId: string, by: string): boolean {
    const controller = this.controllers.get(runId);
    if (!controller) return false;
    controller.abort(new RunCancelledError(by));
    return true;
  }
}
