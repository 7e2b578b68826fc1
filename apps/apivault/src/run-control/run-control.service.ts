import { Injectable } from '@nestjs/common';
import { RunClaimRepository, RunRepository } from '#catalog';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import { toRunView } from '../runs/run-view.js';
import { RunCancellation } from './run-cancellation.js';
import { RunLogBook } from './run-log-book.js';

@Injectable()
export class RunControlService {
  constructor(
    private readonly runs: RunRepository,
    private readonly claims: RunClaimRepository,
    private readonly logBook: RunLogBook,
    private readonly cancellation: RunCancellation,
  ) {}

  async logs(runId: string, page: { afterSeq: number; limit: number; level?: string }) {
    const run = await this.runs.findById(runId);
    if (!run) throw new NotFoundError('run', runId);
    const { lines, retained, dropped } = this.logBook.read(runId, page.afterSeq, page.limit + 1, page.level);
    const items = lines.slice(0, page.limit);
    return {
      runId,
      status: run.status,
      retained,
      dropped,
      items,
      nextCursor: lines.length > page.limit ? String(items[items.length - 1]!.seq) : null,
    };
  }

  async cancel(runId: string, by: string) {
    const run = await this.runs.findById(runId);
    if (!run) throw new NotFoundError('run', runId);
    const request = await this.claims.requestCancel(runId, by);
    if (request === 'not-active') {
      throw new ConflictError('RUN_NOT_ACTIVE', `run ${runId} is ${run.status}; only a queued or running run can be cancelled${run.status === 'held' ? ' (discard a held run instead)' : ''}`, { status: run.status });
    }
    // Here at once; on another replica at its next lease renewal (a third of the lease at most).
    this.cancellation.cancel(runId, by);
    return toRunView((await this.runs.findById(runId)) ?? run);
  }
}
