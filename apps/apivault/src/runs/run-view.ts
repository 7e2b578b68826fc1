import type { RunRecord } from '#catalog';

export function toRunView(run: RunRecord) {
  return {
    id: run.id,
    sourceId: run.sourceId,
    slot: run.slot,
    trigger: run.trigger,
    status: run.status,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    stats: run.stats,
    error: run.error,
  };
}
