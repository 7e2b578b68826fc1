import { Injectable } from '@nestjs/common';

/**
 * Tells this process's listeners (the scheduler) that a source changed, so a new schedule takes
 * effect at once here; other replicas pick it up at their next schedule sync.
 */
@Injectable()
export class SourceChanges {
  private readonly listeners = new Set<(sourceId: string) => void>();

  subscribe(listener: (sourceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(sourceId: string): void {
    for (const listener of this.listeners) listener(sourceId);
  }
}
