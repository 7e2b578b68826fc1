import { Injectable } from '@nestjs/common';

/**
 * Tells this process's listeners (the scheduler) that a source changed, so a new schedule takes
 * effect at once here; other replicas pick it up at their next schedule sync.
 */
@Injectable()
export class SourceChanges {
  private readonly listeners = new Set<(sourceId: string) => Promise<unknown>>();

  subscribe(listener: (sourceId: string) => Promise<unknown>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every listener has taken the change in: the API answers after the scheduler did. */
  async changed(sourceId: string): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener(sourceId)));
  }
}
