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
    attempt: run.attempt,
    maxAttempts: run.maxAttempts,
    /** The replica executing the run and until when its lease holds (null unless running). */
    replica: run.leaseOwner,
    leaseExpiresAt: run.leaseExpiresAt,
    /** A queued run does not start before this (schedule jitter, retry backoff); kept once it started. */
    notBefore: run.notBefore,
    cancelRequestedBy: run.cancelRequestedBy,
    /** Every ended attempt: retries, takeovers after a replica died, hand-backs at shutdown. */
    attempts: run.attempts,
  };
}
