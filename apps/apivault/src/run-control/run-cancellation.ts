import { Injectable } from '@nestjs/common';

/** The reason a cancelled run's signal carries, and what its error says. */
export class RunCancelledError extends Error {
  readonly code = 'CANCELLED';

  constructor(readonly by: string) {
    super(`cancelled by ${by}`);
    this.name = 'RunCancelledError';
  }
}

/** The reason a run stops when its replica shuts down: the run goes back to the queue. */
export class RunReleasedError extends Error {
  readonly code = 'RELEASED';

  constructor() {
    super('released: this replica is shutting down; another replica reruns it');
    this.name = 'RunReleasedError';
  }
}

/**
 * The abort signals of the runs this process is executing: the run engine registers each run's
 * signal (the ConnectorContext signal, which also cancels vendor calls and retry waits), and an
 * operator's cancel, a lost lease or a shutdown aborts it with its reason. The engine checks the
 * signal between artifacts and before it writes the catalog, so a stopped run changes nothing.
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
    return this.abort(runId, new RunCancelledError(by));
  }

  /** Stops a run this process executes with the given reason; false when it runs elsewhere. */
  abort(runId: string, reason: Error): boolean {
    const controller = this.controllers.get(runId);
    if (!controller) return false;
    if (!controller.signal.aborted) controller.abort(reason);
    return true;
  }

  /** The runs this process is executing. */
  activeRunIds(): string[] {
    return [...this.controllers.keys()];
  }
}
