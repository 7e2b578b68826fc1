import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { CatalogEntry } from '#catalog-model';
import { CatalogRunWriter, itemKey, RunRepository, type IncompleteScopes, type Prisma, type RunRecord } from '#catalog';
import { LOGGER } from '../core/tokens.js';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import type { CoveragePart } from './run-coverage.js';

/**
 * What an operator does with a run the guard held: apply it as it is (the vendor really did
 * remove those items) or discard it. Only the latest run of a source may be applied: applying an
 * older one would roll the catalog back over what later runs wrote.
 */
@Injectable()
export class HeldRunsService {
  constructor(
    private readonly runs: RunRepository,
    private readonly writer: CatalogRunWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private async heldRun(runId: string): Promise<RunRecord> {
    const run = await this.runs.findById(runId);
    if (!run) throw new NotFoundError('run', runId);
    if (run.status !== 'held') throw new ConflictError('RUN_NOT_HELD', `run ${runId} is ${run.status}, not held`, { status: run.status });
    return run;
  }

  async apply(runId: string): Promise<RunRecord> {
    const run = await this.heldRun(runId);
    const latest = await this.runs.findLatestEnded(run.sourceId);
    if (latest && latest.id !== run.id) {
      throw new ConflictError('RUN_SUPERSEDED', `run ${runId} is older than run ${latest.id} of the same source; discard it and apply the newer one`, {
        latestRunId: latest.id,
      });
    }
    const entries = new Map<string, CatalogEntry>();
    // Keyed from the entry itself: the stored item_key is a text-safe spelling of the key.
    for (const row of await this.runs.heldEntries(runId)) {
      const entry = row.entry as unknown as CatalogEntry;
      entries.set(itemKey(entry.kind, entry.externalId), entry);
    }
    const stats = (run.stats ?? {}) as Record<string, unknown> & { coverage?: CoveragePart[] };
    const failedScopes = (stats.coverage ?? []).filter((p) => p.failure !== null).map((p) => p.scope);
    const incomplete: IncompleteScopes = failedScopes.includes('') ? { all: true } : { all: false, scopes: new Set(failedScopes) };

    const { held: _held, ...written } = await this.writer.apply({ runId, sourceId: run.sourceId, entries, incomplete, guard: null, consumesHeldRun: runId });
    const status = failedScopes.length > 0 ? 'partial' : 'succeeded';
    const finished = await this.runs.finish(runId, {
      status,
      stats: { ...stats, ...written, appliedAfterHold: true } as unknown as Prisma.InputJsonValue,
      error: failedScopes.length > 0 ? ((run.error ?? undefined) as Prisma.InputJsonValue | undefined) : undefined,
    });
    this.logger.warn({ runId, sourceId: run.sourceId, removed: written.removed }, 'held run applied by an operator');
    return finished;
  }

  async discard(runId: string): Promise<RunRecord> {
    await this.heldRun(runId);
    const run = await this.runs.discardHeld(runId, { stage: 'guard', code: 'DISCARDED', message: 'an operator discarded this held run; the catalog was not changed' });
    this.logger.warn({ runId, sourceId: run.sourceId }, 'held run discarded by an operator');
    return run;
  }
}
