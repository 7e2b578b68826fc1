import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { RunRecord } from './run-repository.js';

/** Who holds a run: the replica's identity and the attempt it claimed (the fencing token). */
export interface RunLeaseToken {
  runId: string;
  owner: string;
  attempt: number;
}

/** One ended attempt of a run, kept in `runs.attempts` (retries, takeovers, releases). */
export interface RunAttemptRecord {
  attempt: number;
  owner: string | null;
  endedAt: string;
  outcome: 'succeeded' | 'partial' | 'failed' | 'held' | 'cancelled' | 'retrying' | 'abandoned' | 'released';
  error?: unknown;
}

export interface ClaimOptions {
  owner: string;
  leaseMs: number;
  /** Runs executing at once across all replicas; a claim beyond it waits. */
  maxParallel: number;
}

export type ManualClaim = { claimed: RunRecord } | { queued: RunRecord } | { busy: RunRecord };

/** Thrown inside a catalog transaction when the run's lease is no longer ours. */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';

  constructor(token: RunLeaseToken, why: string) {
    super(`run ${token.runId} attempt ${token.attempt} is no longer held by ${token.owner}: ${why}`);
    this.name = 'LeaseLostError';
  }
}

// Claims are rare (a few a minute) and must see each other: one transaction-scoped advisory lock
// serialises them across replicas, so the per-source and global limits cannot be raced past.
const CLAIM_LOCK = 'apivault.run-claims';

/** A run that may be claimed: queued and due, or running under a lease that expired. */
interface Candidate {
  id: string;
  status: 'queued' | 'running';
  attempt: number;
  max_attempts: number;
  lease_owner: string | null;
}

/**
 * Claims, leases and fencing of runs, on PostgreSQL and PGlite alike. The database is the only
 * coordinator between replicas: the (source, slot) key makes a slot's run unique, a lease with
 * an expiry says who executes it, and the attempt number fences a replica that lost its lease.
 * Every time is the database's `now()`, so replicas' clocks never disagree about expiry.
 */
export class RunClaimRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Creates the run of a schedule slot unless one exists (every replica ticks; one row results).
   * A slot of the same source still waiting when a newer one is due is cancelled as superseded:
   * a source slower than its schedule never builds a backlog.
   */
  async enqueueSlot(input: { sourceId: string; slot: string; trigger: string; notBefore: Date; maxAttempts: number }): Promise<RunRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO runs (id, source_id, slot, trigger, status, not_before, max_attempts)
        VALUES (gen_random_uuid(), ${input.sourceId}::uuid, ${input.slot}, ${input.trigger}, 'queued', ${input.notBefore}, ${input.maxAttempts})
        ON CONFLICT (source_id, slot) DO NOTHING
        RETURNING id`;
      if (inserted.length === 0) return null;
      const id = inserted[0]!.id;
      await tx.$executeRaw`
        UPDATE runs SET status = 'cancelled', finished_at = now(),
          error = jsonb_build_object('stage', 'engine', 'code', 'SUPERSEDED', 'message', 'still waiting when slot ' || ${input.slot} || ' was due; the newer slot runs instead')
        WHERE source_id = ${input.sourceId}::uuid AND id <> ${id}::uuid AND status = 'queued' AND attempt = 0 AND trigger IN ('schedule', 'catch-up')`;
      return tx.run.findUniqueOrThrow({ where: { id } });
    });
  }

  /** Whether a run exists for the slot (any status): the catch-up of missed slots asks. */
  async slotExists(sourceId: string, slot: string): Promise<boolean> {
    return (await this.prisma.run.count({ where: { sourceId, slot } })) > 0;
  }

  /**
   * A manual run: refused (busy) when the source's run is executing under a live lease; a run of
   * the source that is waiting (queued, or abandoned by a dead replica) is claimed and run now
   * instead of adding another; otherwise a new run. With `respectCapacity` and the global limit
   * reached, the new run is queued for the dispatchers instead of claimed.
   */
  async claimManual(input: { sourceId: string; slot: string; trigger: string; maxAttempts: number; respectCapacity: boolean } & ClaimOptions): Promise<ManualClaim> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CLAIM_LOCK}))`;
      const active = await tx.$queryRaw<(Candidate & { live: boolean })[]>`
        SELECT id, status::text AS status, attempt, max_attempts, lease_owner, (status = 'running' AND lease_expires_at > now()) AS live
        FROM runs WHERE source_id = ${input.sourceId}::uuid AND status IN ('queued', 'running')
        ORDER BY created_at LIMIT 1`;
      const current = active[0];
      if (current?.live) return { busy: await tx.run.findUniqueOrThrow({ where: { id: current.id } }) };
      if (input.respectCapacity && (await this.liveRuns(tx)) >= input.maxParallel) {
        return { queued: current ? await tx.run.findUniqueOrThrow({ where: { id: current.id } }) : await this.insertQueued(tx, input) };
      }
      const id = current ? current.id : (await this.insertQueued(tx, input)).id;
      return { claimed: await this.take(tx, current ?? { id, status: 'queued', attempt: 0, max_attempts: input.maxAttempts, lease_owner: null }, input) };
    });
  }

  /**
   * The next due run, claimed for `owner`: oldest first, never a second run of a source that is
   * executing, never beyond the global limit. Null when there is nothing to do (or no room).
   * A run abandoned more often than it may be attempted is failed here instead of retried.
   */
  async claimNext(options: ClaimOptions): Promise<RunRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CLAIM_LOCK}))`;
      if ((await this.liveRuns(tx)) >= options.maxParallel) return null;
      for (;;) {
        const [candidate] = await tx.$queryRaw<Candidate[]>`
          SELECT r.id, r.status::text AS status, r.attempt, r.max_attempts, r.lease_owner FROM runs r
          WHERE ((r.status = 'queued' AND (r.not_before IS NULL OR r.not_before <= now()))
              OR (r.status = 'running' AND r.lease_expires_at <= now()))
            AND NOT EXISTS (
              SELECT 1 FROM runs o WHERE o.source_id = r.source_id AND o.id <> r.id AND o.status = 'running' AND o.lease_expires_at > now())
          ORDER BY coalesce(r.not_before, r.created_at), r.created_at
          LIMIT 1
          FOR UPDATE OF r SKIP LOCKED`;
        if (!candidate) return null;
        if (candidate.status === 'running' && candidate.attempt >= candidate.max_attempts) {
          await this.abandon(tx, candidate);
          continue;
        }
        return this.take(tx, candidate, options);
      }
    });
  }

  /**
   * Renews the lease; `held: false` when the run is no longer ours (taken over, finished,
   * cancelled while queued). `cancelRequestedBy` says an operator asked this run to stop.
   */
  async renew(token: RunLeaseToken, leaseMs: number): Promise<{ held: boolean; cancelRequestedBy: string | null }> {
    const rows = await this.prisma.$queryRaw<{ cancel_requested_by: string | null }[]>`
      UPDATE runs SET lease_expires_at = now() + ${leaseMs}::integer * interval '1 millisecond'
      WHERE id = ${token.runId}::uuid AND lease_owner = ${token.owner} AND attempt = ${token.attempt} AND status = 'running'
      RETURNING cancel_requested_by`;
    return rows.length === 0 ? { held: false, cancelRequestedBy: null } : { held: true, cancelRequestedBy: rows[0]!.cancel_requested_by };
  }

  /** Progress of a running attempt; ignored once the attempt lost the run. */
  async recordProgress(token: RunLeaseToken, stats: Prisma.InputJsonValue): Promise<void> {
    await this.prisma.run.updateMany({ where: { id: token.runId, leaseOwner: token.owner, attempt: token.attempt, status: 'running' }, data: { stats } });
  }

  /** Inside a catalog transaction: locks the run row and throws unless the lease is still ours. */
  async fence(tx: Prisma.TransactionClient, token: RunLeaseToken): Promise<void> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM runs
      WHERE id = ${token.runId}::uuid AND lease_owner = ${token.owner} AND attempt = ${token.attempt} AND status = 'running' AND lease_expires_at > now()
      FOR UPDATE`;
    if (rows.length === 0) throw new LeaseLostError(token, 'the lease expired or another replica took the run over');
  }

  /** Records the final outcome, only while the lease is ours; null when it was not. */
  async finish(
    token: RunLeaseToken,
    outcome: { status: 'succeeded' | 'partial' | 'failed' | 'held' | 'cancelled'; stats: Prisma.InputJsonValue; error?: Prisma.InputJsonValue },
    tx: Prisma.TransactionClient = this.prisma,
  ): Promise<RunRecord | null> {
    // An outcome without an error clears the one an earlier attempt left (a retry that succeeded).
    const error = outcome.error ?? Prisma.DbNull;
    return this.endAttempt(tx, token, { status: outcome.status, stats: outcome.stats, error, finishedAt: new Date() }, { outcome: outcome.status, error: outcome.error });
  }

  /** A retryable failure: the run waits until `notBefore` and any replica runs it again. */
  async retryLater(token: RunLeaseToken, input: { notBefore: Date; stats: Prisma.InputJsonValue; error: Prisma.InputJsonValue }): Promise<RunRecord | null> {
    return this.endAttempt(this.prisma, token, { status: 'queued', stats: input.stats, error: input.error, notBefore: input.notBefore, cancelRequestedAt: null, cancelRequestedBy: null }, { outcome: 'retrying', error: input.error });
  }

  /**
   * Gives the run back (graceful shutdown): queued at once for another replica, and the attempt
   * does not count, since nothing went wrong with the run itself.
   */
  async release(token: RunLeaseToken, stats: Prisma.InputJsonValue): Promise<RunRecord | null> {
    return this.endAttempt(this.prisma, token, { status: 'queued', stats, attempt: { decrement: 1 }, cancelRequestedAt: null, cancelRequestedBy: null }, { outcome: 'released' });
  }

  /**
   * Asks a run to stop. A queued run is cancelled at once; a running one is flagged, and the
   * replica executing it (whichever it is) sees the flag at its next lease renewal.
   */
  async requestCancel(runId: string, by: string): Promise<'cancelled' | 'requested' | 'not-active'> {
    const error = { stage: 'engine', code: 'CANCELLED', message: `the run was cancelled by ${by} before it started; the catalog was not changed` };
    const queued = await this.prisma.run.updateMany({ where: { id: runId, status: 'queued' }, data: { status: 'cancelled', finishedAt: new Date(), error } });
    if (queued.count > 0) return 'cancelled';
    const running = await this.prisma.run.updateMany({ where: { id: runId, status: 'running' }, data: { cancelRequestedAt: new Date(), cancelRequestedBy: by } });
    return running.count > 0 ? 'requested' : 'not-active';
  }

  /**
   * PGlite is one process's private database: a run still marked running was cut off by a crash
   * of this very service. It goes back to the queue and reruns from the start.
   */
  async requeueAllRunning(): Promise<number> {
    const runs = await this.prisma.run.findMany({ where: { status: 'running' }, select: { id: true, attempt: true, leaseOwner: true, attempts: true } });
    for (const run of runs) {
      await this.prisma.run.update({
        where: { id: run.id },
        data: { status: 'queued', leaseOwner: null, leaseExpiresAt: null, attempts: asJson([...attemptsOf(run.attempts), abandonedAttempt(run)]) },
      });
    }
    return runs.length;
  }

  private async liveRuns(tx: Prisma.TransactionClient): Promise<number> {
    const [row] = await tx.$queryRaw<{ live: number }[]>`SELECT count(*)::int AS live FROM runs WHERE status = 'running' AND lease_expires_at > now()`;
    return row!.live;
  }

  private insertQueued(tx: Prisma.TransactionClient, input: { sourceId: string; slot: string; trigger: string; maxAttempts: number }): Promise<RunRecord> {
    return tx.run.create({ data: { sourceId: input.sourceId, slot: input.slot, trigger: input.trigger, status: 'queued', maxAttempts: input.maxAttempts } });
  }

  /** Takes the candidate for `owner`; an expired lease's attempt is recorded as abandoned. */
  private async take(tx: Prisma.TransactionClient, candidate: Candidate, options: ClaimOptions): Promise<RunRecord> {
    const run = await tx.run.findUniqueOrThrow({ where: { id: candidate.id } });
    const attempts = attemptsOf(run.attempts);
    if (candidate.status === 'running') attempts.push(abandonedAttempt(run));
    await tx.$executeRaw`
      UPDATE runs SET status = 'running', lease_owner = ${options.owner}, lease_expires_at = now() + ${options.leaseMs}::integer * interval '1 millisecond',
        attempt = attempt + 1, started_at = coalesce(started_at, now())
      WHERE id = ${candidate.id}::uuid`;
    return tx.run.update({ where: { id: candidate.id }, data: { attempts: asJson(attempts) } });
  }

  private async abandon(tx: Prisma.TransactionClient, candidate: Candidate): Promise<void> {
    const run = await tx.run.findUniqueOrThrow({ where: { id: candidate.id } });
    const error = {
      stage: 'engine',
      code: 'ABANDONED',
      message: `the replicas running this run stopped renewing its lease ${run.attempt} time(s) (crash, kill -9, lost connection); it is not attempted again`,
    };
    const attempts = [...attemptsOf(run.attempts), abandonedAttempt(run)];
    await tx.run.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), error, leaseOwner: null, leaseExpiresAt: null, attempts: asJson(attempts) } });
  }

  /** Ends the attempt if, and only if, `token` still holds the run; appends it to `attempts`. */
  private async endAttempt(
    tx: Prisma.TransactionClient,
    token: RunLeaseToken,
    data: Prisma.RunUpdateManyMutationInput,
    attempt: Pick<RunAttemptRecord, 'outcome' | 'error'>,
  ): Promise<RunRecord | null> {
    const where = { id: token.runId, leaseOwner: token.owner, attempt: token.attempt, status: 'running' as const };
    const run = await tx.run.findFirst({ where });
    if (!run) return null;
    const attempts = [...attemptsOf(run.attempts), { attempt: token.attempt, owner: token.owner, endedAt: new Date().toISOString(), ...attempt }];
    const updated = await tx.run.updateMany({
      where,
      data: { ...data, leaseOwner: null, leaseExpiresAt: null, attempts: asJson(attempts) },
    });
    return updated.count === 0 ? null : tx.run.findUnique({ where: { id: token.runId } });
  }
}

/** The attempt of a replica that stopped renewing its lease: it died, or lost the database. */
function abandonedAttempt(run: { attempt: number; leaseOwner: string | null }): RunAttemptRecord {
  return {
    attempt: run.attempt,
    owner: run.leaseOwner,
    endedAt: new Date().toISOString(),
    outcome: 'abandoned',
    error: { code: 'LEASE_EXPIRED', message: 'the replica running it stopped renewing its lease (crash, kill -9, lost connection)' },
  };
}

function attemptsOf(value: Prisma.JsonValue): RunAttemptRecord[] {
  return Array.isArray(value) ? (value as unknown as RunAttemptRecord[]) : [];
}

function asJson(attempts: RunAttemptRecord[]): Prisma.InputJsonValue {
  return attempts as unknown as Prisma.InputJsonValue;
}
