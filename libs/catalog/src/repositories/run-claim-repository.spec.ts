import { randomUUID } from 'node:crypto';
import { openMigratedTestDatabase, testDatabaseTargets } from '../../../../test/support/test-databases.js';
import { openDatabase, type Database } from '../database/database.js';
import { LeaseLostError, RunClaimRepository, type ClaimOptions, type RunAttemptRecord, type RunLeaseToken } from './run-claim-repository.js';
import type { RunRecord } from './run-repository.js';

const LEASE_MS = 60_000;

describe.each(testDatabaseTargets)('run claims, leases and fencing on $name', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  /** A second client for the concurrent claims: its own connections on PostgreSQL; PGlite has one. */
  let other: Database | null = null;
  let claims: RunClaimRepository;
  let rivalClaims: RunClaimRepository;

  const options = (owner: string, overrides: Partial<ClaimOptions> = {}): ClaimOptions => ({ owner, leaseMs: LEASE_MS, maxParallel: 100, ...overrides });
  const tokenOf = (run: RunRecord): RunLeaseToken => ({ runId: run.id, owner: run.leaseOwner!, attempt: run.attempt });
  const attemptsOf = (run: RunRecord): RunAttemptRecord[] => run.attempts as unknown as RunAttemptRecord[];
  const reload = async (run: { id: string }): Promise<RunRecord> => db.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
  const noStats = {};

  async function createSource(): Promise<string> {
    const source = await db.prisma.source.create({ data: { name: `s-${randomUUID()}`, kind: 'test', config: {} } });
    return source.id;
  }

  /** A run waiting to be claimed, as a slot or a queued manual run leaves it. */
  async function queuedRun(sourceId: string, data: { maxAttempts?: number; trigger?: string; notBefore?: Date } = {}): Promise<RunRecord> {
    return db.prisma.run.create({
      data: { sourceId, slot: `test:${randomUUID()}`, trigger: data.trigger ?? 'api', status: 'queued', maxAttempts: data.maxAttempts ?? 3, notBefore: data.notBefore },
    });
  }

  /** What a replica that stopped renewing leaves behind: a running run whose lease is over. */
  async function expireLease(run: { id: string }): Promise<void> {
    await db.prisma.$executeRaw`UPDATE runs SET lease_expires_at = now() - interval '1 second' WHERE id = ${run.id}::uuid`;
  }

  /** Claims until nothing is due, for one owner. */
  async function claimAll(owner: string, overrides: Partial<ClaimOptions> = {}): Promise<RunRecord[]> {
    const claimed: RunRecord[] = [];
    for (let run = await claims.claimNext(options(owner, overrides)); run; run = await claims.claimNext(options(owner, overrides))) claimed.push(run);
    return claimed;
  }

  beforeAll(async () => {
    const opened = await openMigratedTestDatabase(target);
    ({ db, drop } = opened);
    claims = new RunClaimRepository(db.prisma);
    // Two replicas are two clients with their own connections; an embedded PGlite has only one.
    if (opened.config.type === 'postgres') other = await openDatabase(opened.config);
    rivalClaims = other ? new RunClaimRepository(other.prisma) : claims;
  });

  afterAll(async () => {
    await other?.close();
    await drop?.();
  });

  // Every test starts with no runs: the claim queries look at the whole table.
  beforeEach(async () => {
    await db.prisma.run.deleteMany();
  });

  describe('slots', () => {
    it('creates one run for a slot however often it is enqueued', async () => {
      const sourceId = await createSource();
      const slot = { sourceId, slot: 'schedule:2026-11-23T10:00:00.000Z', trigger: 'schedule', notBefore: new Date(), maxAttempts: 3 };
      const first = await claims.enqueueSlot(slot);
      const again = await Promise.all([claims.enqueueSlot(slot), claims.enqueueSlot(slot)]);
      expect(first).toMatchObject({ sourceId, slot: slot.slot, trigger: 'schedule', status: 'queued', attempt: 0, maxAttempts: 3 });
      expect(again).toEqual([null, null]);
      expect(await db.prisma.run.count({ where: { sourceId } })).toBe(1);
      expect(await claims.slotExists(sourceId, slot.slot)).toBe(true);
      expect(await claims.slotExists(sourceId, 'schedule:2026-11-23T10:01:00.000Z')).toBe(false);
    });

    it('cancels an older slot still waiting when a newer one is due, but never a started, retrying or manual run', async () => {
      const sourceId = await createSource();
      const slot = (minute: number) => ({ sourceId, slot: `schedule:2026-11-23T10:0${minute}:00.000Z`, trigger: 'schedule', notBefore: new Date(), maxAttempts: 3 });
      const waiting = (await claims.enqueueSlot(slot(0)))!;
      const manual = await queuedRun(sourceId, { trigger: 'api' });
      const newer = (await claims.enqueueSlot(slot(1)))!;
      expect(await reload(waiting)).toMatchObject({ status: 'cancelled', error: { stage: 'engine', code: 'SUPERSEDED' } });
      expect((await reload(waiting)).finishedAt).not.toBeNull();
      expect((await reload(manual)).status).toBe('queued');
      expect((await reload(newer)).status).toBe('queued');

      // Started: the manual run is older, so it is claimed first; then the newer slot.
      await db.prisma.run.delete({ where: { id: manual.id } });
      const started = await claims.claimNext(options('replica-a'));
      expect(started?.id).toBe(newer.id);
      await claims.enqueueSlot(slot(2));
      expect((await reload(newer)).status).toBe('running');

      // Retrying: queued again after an attempt; it keeps its turn.
      await claims.retryLater(tokenOf(started!), { notBefore: new Date(Date.now() + 60_000), stats: noStats, error: { code: 'HTTP_ERROR' } });
      await claims.enqueueSlot(slot(3));
      expect(await reload(newer)).toMatchObject({ status: 'queued', attempt: 1 });
    });
  });

  describe('claims', () => {
    it('gives each run to exactly one of two owners claiming at once', async () => {
      const sources = await Promise.all(Array.from({ length: 6 }, () => createSource()));
      const runs = await Promise.all(sources.map((sourceId) => queuedRun(sourceId)));
      const owners = new Map<string, string[]>();
      for (let round = 0; round < runs.length; round++) {
        const [a, b] = await Promise.all([claims.claimNext(options('replica-a')), rivalClaims.claimNext(options('replica-b'))]);
        for (const [owner, run] of [['replica-a', a], ['replica-b', b]] as const) {
          if (run) owners.set(run.id, [...(owners.get(run.id) ?? []), owner]);
        }
      }
      expect([...owners.keys()].sort()).toEqual(runs.map((r) => r.id).sort());
      expect([...owners.values()].every((claimedBy) => claimedBy.length === 1)).toBe(true);
      const rows = await db.prisma.run.findMany();
      expect(rows.every((r) => r.status === 'running' && r.attempt === 1 && r.leaseOwner === owners.get(r.id)![0])).toBe(true);
      expect(rows.every((r) => r.leaseExpiresAt!.getTime() > Date.now() + LEASE_MS / 2)).toBe(true);
    });

    it('never runs two runs of one source at once', async () => {
      const sourceId = await createSource();
      const [first, second] = [await queuedRun(sourceId), await queuedRun(sourceId)];
      const claimed = await Promise.all([claims.claimNext(options('replica-a')), rivalClaims.claimNext(options('replica-b')), claims.claimNext(options('replica-c'))]);
      const winners = claimed.filter((run) => run !== null);
      expect(winners).toHaveLength(1);
      expect(await db.prisma.run.count({ where: { sourceId, status: 'running' } })).toBe(1);

      await claims.finish(tokenOf(winners[0]!), { status: 'succeeded', stats: noStats });
      const next = await claims.claimNext(options('replica-b'));
      expect([winners[0]!.id, next?.id].sort()).toEqual([first.id, second.id].sort());
    });

    it('keeps to the global limit of parallel runs', async () => {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await queuedRun(await createSource()));
      const claimed = await claimAll('replica-a', { maxParallel: 2 });
      expect(claimed).toHaveLength(2);
      expect(await rivalClaims.claimNext(options('replica-b', { maxParallel: 2 }))).toBeNull();
      // A limit counts every owner's runs: a replica allowed 3 still has room for one.
      const third = await rivalClaims.claimNext(options('replica-b', { maxParallel: 3 }));
      expect([...claimed, third].map((r) => r?.id).sort()).toEqual(runs.map((r) => r.id).sort());
      expect(await claims.claimNext(options('replica-a', { maxParallel: 3 }))).toBeNull();

      await claims.finish(tokenOf(third!), { status: 'succeeded', stats: noStats });
      await queuedRun(await createSource());
      expect(await claims.claimNext(options('replica-a', { maxParallel: 2 }))).toBeNull();
      expect(await claims.claimNext(options('replica-a', { maxParallel: 3 }))).not.toBeNull();
    });

    it('leaves a run alone until its notBefore', async () => {
      const run = await queuedRun(await createSource(), { notBefore: new Date(Date.now() + 800) });
      expect(await claims.claimNext(options('replica-a'))).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 900));
      // notBefore stays: when the run was due, beside when it started.
      expect(await claims.claimNext(options('replica-a'))).toMatchObject({ id: run.id, status: 'running', notBefore: run.notBefore });
    });
  });

  describe('leases and fencing', () => {
    it('lets another owner take over a run whose lease expired, as the next attempt', async () => {
      const run = await queuedRun(await createSource(), { maxAttempts: 3 });
      const mine = (await claims.claimNext(options('replica-a')))!;
      expect(mine).toMatchObject({ id: run.id, attempt: 1, leaseOwner: 'replica-a' });
      // Alive: nobody else gets it.
      expect(await rivalClaims.claimNext(options('replica-b'))).toBeNull();

      await expireLease(run);
      const taken = (await rivalClaims.claimNext(options('replica-b')))!;
      expect(taken).toMatchObject({ id: run.id, status: 'running', attempt: 2, leaseOwner: 'replica-b' });
      expect(attemptsOf(taken)).toEqual([expect.objectContaining({ attempt: 1, owner: 'replica-a', outcome: 'abandoned', error: expect.objectContaining({ code: 'LEASE_EXPIRED' }) })]);
      expect(taken.startedAt).toEqual(mine.startedAt);
    });

    it('fences the old owner out after a takeover: no catalog transaction, no outcome, no renewal', async () => {
      const run = await queuedRun(await createSource());
      const old = tokenOf((await claims.claimNext(options('replica-a')))!);
      await expireLease(run);
      const current = tokenOf((await rivalClaims.claimNext(options('replica-b')))!);

      await expect(db.prisma.$transaction((tx) => claims.fence(tx, old))).rejects.toBeInstanceOf(LeaseLostError);
      await expect(db.prisma.$transaction((tx) => claims.fence(tx, old))).rejects.toMatchObject({ code: 'LEASE_LOST' });
      await expect(db.prisma.$transaction((tx) => claims.fence(tx, current))).resolves.toBeUndefined();

      const before = await reload(run);
      expect(await claims.finish(old, { status: 'succeeded', stats: { added: 1 } })).toBeNull();
      expect(await claims.retryLater(old, { notBefore: new Date(), stats: noStats, error: { code: 'X' } })).toBeNull();
      expect(await claims.release(old, noStats)).toBeNull();
      expect(await claims.renew(old, LEASE_MS)).toEqual({ held: false, cancelRequestedBy: null });
      expect(await reload(run)).toEqual(before);

      expect(await claims.renew(current, LEASE_MS)).toEqual({ held: true, cancelRequestedBy: null });
      expect(await claims.finish(current, { status: 'succeeded', stats: { added: 1 } })).toMatchObject({ status: 'succeeded', leaseOwner: null, stats: { added: 1 } });
    });

    it('refuses a fence once the lease expired, even before anyone took the run', async () => {
      const run = await queuedRun(await createSource());
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      await expireLease(run);
      await expect(db.prisma.$transaction((tx) => claims.fence(tx, token))).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('ignores progress from an owner that lost the run', async () => {
      const run = await queuedRun(await createSource());
      const old = tokenOf((await claims.claimNext(options('replica-a')))!);
      await claims.recordProgress(old, { callsDone: 1 });
      expect((await reload(run)).stats).toEqual({ callsDone: 1 });
      await expireLease(run);
      const current = tokenOf((await rivalClaims.claimNext(options('replica-b')))!);
      await claims.recordProgress(current, { callsDone: 2 });
      await claims.recordProgress(old, { callsDone: 99 });
      expect((await reload(run)).stats).toEqual({ callsDone: 2 });
    });

    it('fails a run abandoned as often as it may be attempted, instead of running it again', async () => {
      const sourceId = await createSource();
      const run = await queuedRun(sourceId, { maxAttempts: 2 });
      await claims.claimNext(options('replica-a'));
      await expireLease(run);
      await rivalClaims.claimNext(options('replica-b'));
      await expireLease(run);
      // The next due run of the same source is claimable once the abandoned one is failed.
      const next = await queuedRun(sourceId);

      const claimed = await claims.claimNext(options('replica-c'));
      expect(claimed?.id).toBe(next.id);
      const failed = await reload(run);
      expect(failed).toMatchObject({ status: 'failed', attempt: 2, leaseOwner: null, leaseExpiresAt: null, error: { stage: 'engine', code: 'ABANDONED' } });
      expect(failed.finishedAt).not.toBeNull();
      expect(attemptsOf(failed).map((a) => [a.attempt, a.owner, a.outcome])).toEqual([
        [1, 'replica-a', 'abandoned'],
        [2, 'replica-b', 'abandoned'],
      ]);
    });
  });

  describe('ends of an attempt', () => {
    it('queues a retryable failure until its notBefore, then any owner runs the next attempt', async () => {
      const run = await queuedRun(await createSource(), { maxAttempts: 3 });
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      const notBefore = new Date(Date.now() + 700);
      const error = { stage: 'fetch', code: 'HTTP_ERROR', status: 503, call: 'POST /export' };
      const queued = await claims.retryLater(token, { notBefore, stats: { callsDone: 1 }, error });
      expect(queued).toMatchObject({ status: 'queued', attempt: 1, leaseOwner: null, leaseExpiresAt: null, notBefore, error });
      expect(attemptsOf(queued!)).toEqual([expect.objectContaining({ attempt: 1, owner: 'replica-a', outcome: 'retrying', error })]);

      expect(await rivalClaims.claimNext(options('replica-b'))).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, notBefore.getTime() - Date.now() + 100));
      const retry = await rivalClaims.claimNext(options('replica-b'));
      expect(retry).toMatchObject({ id: run.id, status: 'running', attempt: 2, leaseOwner: 'replica-b', notBefore });
      // Succeeded in the end: the run carries no error, its first attempt keeps it.
      const succeeded = await claims.finish(tokenOf(retry!), { status: 'succeeded', stats: noStats });
      expect(succeeded).toMatchObject({ status: 'succeeded', error: null });
      expect(attemptsOf(succeeded!).map((a) => [a.attempt, a.outcome, a.error])).toEqual([
        [1, 'retrying', error],
        [2, 'succeeded', undefined],
      ]);
    });

    it('hands a released run back without counting the attempt', async () => {
      const run = await queuedRun(await createSource(), { maxAttempts: 1 });
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      const released = await claims.release(token, { callsDone: 3 });
      expect(released).toMatchObject({ status: 'queued', attempt: 0, leaseOwner: null, leaseExpiresAt: null, stats: { callsDone: 3 } });
      expect(attemptsOf(released!)).toEqual([expect.objectContaining({ attempt: 1, owner: 'replica-a', outcome: 'released' })]);
      // One attempt allowed, and it was not used up: the run can still run.
      expect(await rivalClaims.claimNext(options('replica-b'))).toMatchObject({ id: run.id, attempt: 1, leaseOwner: 'replica-b' });
    });

    it('records the outcome with the attempt that ended', async () => {
      const run = await queuedRun(await createSource());
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      const error = { stage: 'fetch', code: 'HTTP_ERROR', status: 403 };
      const failed = await claims.finish(token, { status: 'failed', stats: { callsDone: 1 }, error });
      expect(failed).toMatchObject({ id: run.id, status: 'failed', attempt: 1, leaseOwner: null, error, stats: { callsDone: 1 } });
      expect(failed!.finishedAt).not.toBeNull();
      expect(attemptsOf(failed!)).toEqual([expect.objectContaining({ attempt: 1, owner: 'replica-a', outcome: 'failed', error })]);
      expect(await claims.finish(token, { status: 'succeeded', stats: noStats })).toBeNull();
    });
  });

  describe('cancellation', () => {
    it('cancels a queued run at once, flags a running one for its owner, and refuses an ended one', async () => {
      const queued = await queuedRun(await createSource());
      expect(await claims.requestCancel(queued.id, 'alice')).toBe('cancelled');
      const cancelled = await reload(queued);
      expect(cancelled).toMatchObject({ status: 'cancelled', error: { stage: 'engine', code: 'CANCELLED' } });
      expect((cancelled.error as { message: string }).message).toContain('alice');
      expect(await claims.claimNext(options('replica-a'))).toBeNull();

      const running = await queuedRun(await createSource());
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      expect(await claims.renew(token, LEASE_MS)).toEqual({ held: true, cancelRequestedBy: null });
      expect(await claims.requestCancel(running.id, 'bob')).toBe('requested');
      expect((await reload(running)).status).toBe('running');
      expect(await claims.renew(token, LEASE_MS)).toEqual({ held: true, cancelRequestedBy: 'bob' });

      await claims.finish(token, { status: 'cancelled', stats: noStats });
      expect(await claims.requestCancel(running.id, 'bob')).toBe('not-active');
    });

    it('does not carry a cancel request over to the retry of the run', async () => {
      const run = await queuedRun(await createSource(), { maxAttempts: 3 });
      const token = tokenOf((await claims.claimNext(options('replica-a')))!);
      await claims.requestCancel(run.id, 'bob');
      await claims.retryLater(token, { notBefore: new Date(), stats: noStats, error: { code: 'HTTP_ERROR' } });
      expect(await reload(run)).toMatchObject({ status: 'queued', cancelRequestedBy: null, cancelRequestedAt: null });
    });
  });

  describe('manual runs', () => {
    it('refuses a second run of a source executing under a live lease, naming the run', async () => {
      const sourceId = await createSource();
      const manual = { sourceId, trigger: 'api', maxAttempts: 1, respectCapacity: true, ...options('replica-a') };
      const first = await claims.claimManual({ ...manual, slot: `api:${randomUUID()}` });
      expect('claimed' in first && first.claimed).toMatchObject({ status: 'running', attempt: 1, leaseOwner: 'replica-a' });
      const second = await claims.claimManual({ ...manual, slot: `api:${randomUUID()}`, owner: 'replica-b' });
      expect(second).toEqual({ busy: expect.objectContaining({ id: 'claimed' in first ? first.claimed.id : '' }) });
      expect(await db.prisma.run.count({ where: { sourceId } })).toBe(1);
    });

    it('runs the waiting run of a source now instead of adding another', async () => {
      const sourceId = await createSource();
      const waiting = (await claims.enqueueSlot({ sourceId, slot: 'schedule:2026-11-23T10:00:00.000Z', trigger: 'schedule', notBefore: new Date(Date.now() + 60_000), maxAttempts: 3 }))!;
      const claim = await claims.claimManual({ sourceId, slot: `api:${randomUUID()}`, trigger: 'api', maxAttempts: 3, respectCapacity: true, ...options('replica-a') });
      expect(claim).toEqual({ claimed: expect.objectContaining({ id: waiting.id, status: 'running', attempt: 1 }) });
      expect(await db.prisma.run.count({ where: { sourceId } })).toBe(1);
    });

    it('queues a new run when the global limit is reached, unless told to ignore it', async () => {
      await queuedRun(await createSource());
      expect(await claims.claimNext(options('replica-a', { maxParallel: 1 }))).not.toBeNull();
      const sourceId = await createSource();
      const manual = { sourceId, trigger: 'api', maxAttempts: 1, ...options('replica-a', { maxParallel: 1 }) };
      const queued = await claims.claimManual({ ...manual, slot: `api:${randomUUID()}`, respectCapacity: true });
      expect(queued).toEqual({ queued: expect.objectContaining({ sourceId, status: 'queued', attempt: 0 }) });
      const forced = await claims.claimManual({ ...manual, slot: `cli:${randomUUID()}`, respectCapacity: false });
      expect(forced).toEqual({ claimed: expect.objectContaining({ id: 'queued' in queued ? queued.queued.id : '', status: 'running' }) });
    });
  });

  it('requeues every running run (PGlite after a crash), recording the cut-off attempts', async () => {
    const runs = [await queuedRun(await createSource()), await queuedRun(await createSource())];
    const ended = await queuedRun(await createSource());
    await claimAll('replica-a');
    await claims.finish(tokenOf(await reload(ended)), { status: 'succeeded', stats: noStats });

    expect(await claims.requeueAllRunning()).toBe(2);
    for (const run of runs) {
      const requeued = await reload(run);
      expect(requeued).toMatchObject({ status: 'queued', leaseOwner: null, leaseExpiresAt: null, attempt: 1 });
      expect(attemptsOf(requeued)).toEqual([expect.objectContaining({ attempt: 1, owner: 'replica-a', outcome: 'abandoned' })]);
    }
    expect((await reload(ended)).status).toBe('succeeded');
    expect((await claimAll('replica-b')).map((r) => [r.attempt, r.leaseOwner])).toEqual([
      [2, 'replica-b'],
      [2, 'replica-b'],
    ]);
  });
});
