import { mkdirSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ArchiveStore, SpooledFile } from '#archive';
import { ArtifactRepository, CatalogRunWriter, LeaseLostError, RunClaimRepository, RunRepository, type Prisma, type RunRecord, type RunWriteResult, type SourceRecord, SpilledEntries } from '#catalog';
import { VendorCallError, type ArchivedArtifact, type ConnectorContext, type ConnectorRegistry } from '#connectors';
import type { AppSettings } from '../config/app-settings.js';
import { APP_SETTINGS, ARCHIVE_STORE, CONNECTOR_REGISTRY, LOGGER, RUN_ENGINE_SETTINGS } from '../core/tokens.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { InstallationSecretsService } from '../secrets/installation-secrets.service.js';
import { RunCancellation, RunCancelledError, RunReleasedError } from '../run-control/run-cancellation.js';
import { describeRunFailure } from './run-failure.js';
import { RunCoverage, type CoveragePart } from './run-coverage.js';
import type { RunEngineSettings } from './run-engine-settings.js';
import { RunLease } from './run-lease.js';
import { RunProgressRecorder } from './run-progress.js';
import { isRetryableRunFailure, retryAfterOf, retryDelayMs } from './run-retry-policy.js';
import { emptyRunStats } from './run-stats.js';

/** Archived objects recorded per statement pair (see recordArtifacts). */
const ARTIFACT_RECORD_BATCH = 100;

/** A part that failed, with the error itself: the engine decides on retries from it. */
class AllPartsFailed extends Error {
  constructor(readonly first: unknown) {
    super('every part of the source failed');
  }
}

/**
 * Executes one attempt of a claimed run: fetch every raw export, archive it (content addressed),
 * parse it into catalog entries, and apply the result to the catalog in one transaction that
 * first checks the lease is still ours (fencing) and commits the run's outcome with the catalog
 * change. A failure at any stage leaves the catalog as it was; a retryable one queues the run
 * for a later attempt; a lost lease leaves the run to the replica that took it over.
 */
@Injectable()
export class RunExecutor {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly installationSecrets: InstallationSecretsService,
    private readonly runs: RunRepository,
    private readonly claims: RunClaimRepository,
    private readonly artifacts: ArtifactRepository,
    private readonly writer: CatalogRunWriter,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cancellation: RunCancellation,
    @Inject(RUN_ENGINE_SETTINGS) private readonly engine: RunEngineSettings,
  ) {}

  /** Runs the claimed attempt to its end; never rejects (the outcome is on the run record). */
  async execute(run: RunRecord, source: SourceRecord, owner: string): Promise<RunRecord> {
    try {
      return await this.attempt(run, source, owner);
    } catch (error) {
      // Only reached when even recording the outcome failed (database gone): say so loudly.
      this.logger.error({ runId: run.id, err: error }, 'run ended but its outcome could not be recorded; its lease will expire and another attempt follows');
      return (await this.runs.findById(run.id).catch(() => null)) ?? run;
    }
  }

  private async attempt(run: RunRecord, source: SourceRecord, owner: string): Promise<RunRecord> {
    const started = Date.now();
    const token = { runId: run.id, owner, attempt: run.attempt };
    const logger = this.logger.child({ runId: run.id, sourceId: source.id, source: source.name, kind: source.kind, attempt: run.attempt });
    const stats = emptyRunStats();
    const spooled: SpooledFile[] = [];
    let entries: SpilledEntries | null = null;
    // Archived objects are recorded in batches: a run of thousands of exports is not thousands of commits.
    const unrecorded: Parameters<ArtifactRepository['recordForRun']>[1] = [];
    const recordArtifacts = async (): Promise<void> => {
      await this.artifacts.recordForRun(run.id, unrecorded.splice(0));
    };
    const progress = new RunProgressRecorder(stats, (snapshot) => this.claims.recordProgress(token, toJson({ ...snapshot, durationMs: Date.now() - started })), logger);
    const flush = (): void => progress.touch();
    // Cancelling, losing the lease or shutting down aborts vendor calls and retry waits; the checks below stop between steps.
    const signal = this.cancellation.register(run.id);
    const lease = new RunLease(token, this.claims, this.engine.leaseMs, (reason) => this.cancellation.abort(run.id, reason), logger).start();
    logger.info({ trigger: run.trigger, slot: run.slot, maxAttempts: run.maxAttempts }, 'run started');

    try {
      const connector = this.registry.get(source.kind);
      const config = connector.validateConfig(source.config);
      const coverage = new RunCoverage();
      const partErrors: unknown[] = [];
      const ctx: ConnectorContext = {
        logger,
        signal,
        credential: source.credentialId ? await this.credentials.resolve(source.credentialId) : null,
        redactor: await this.installationSecrets.secretRedactor(),
        progress: (update) => {
          if (update.callsDone !== undefined) stats.callsDone = update.callsDone;
          if (update.callsPlanned !== undefined) stats.callsPlanned = update.callsPlanned;
          if (update.itemsParsed !== undefined) stats.itemsParsed = update.itemsParsed;
          flush();
        },
        expect: (scope, count) => coverage.expect(scope, count),
        partFailed: (scope, error) => {
          logger.warn({ scope, failure: describeRunFailure(error) }, 'part of the source failed');
          partErrors.push(error);
          coverage.failed(scope, error);
        },
      };

      mkdirSync(this.settings.tmpDir, { recursive: true });
      const archived: ArchivedArtifact[] = [];
      for await (const raw of connector.fetch(config, ctx)) {
        signal.throwIfAborted();
        const file = await this.archive.spool(raw.body, this.settings.tmpDir).catch((error: unknown) => {
          // An unread body would hold the vendor's concurrency slot until its timeout.
          raw.body.destroy();
          throw error instanceof VendorCallError
            ? error
            : new VendorCallError(`reading the response body of ${raw.call} failed: ${(error as Error).message}`, { call: raw.call, code: 'NETWORK', retryable: true, cause: error });
        });
        spooled.push(file);
        const stored = await this.archive.putFile(file);
        unrecorded.push({ artifact: { sha256: stored.sha256, size: stored.size, storageKey: stored.key, contentType: raw.contentType }, name: raw.name, call: raw.call });
        if (unrecorded.length >= ARTIFACT_RECORD_BATCH) await recordArtifacts();
        stats.artifacts++;
        stats.bytes += stored.size;
        if (stored.created) stats.artifactsNew++;
        logger.info({ artifact: raw.name, call: raw.call, scope: raw.scope, sha256: stored.sha256, size: stored.size, created: stored.created }, 'artifact archived');
        archived.push({ name: raw.name, call: raw.call, contentType: raw.contentType, sha256: stored.sha256, size: stored.size, localPath: file.path, scope: raw.scope, meta: raw.meta });
        flush();
      }

      await recordArtifacts();

      // Entries go to a spill file as they are parsed; only keys, hashes and offsets stay in memory.
      const parsed = (entries = SpilledEntries.create(this.settings.tmpDir));
      for (const artifact of archived) {
        // An artifact counts whole or not at all: its entries are kept only once it parsed fully.
        const batch = parsed.batch();
        try {
          for await (const entry of connector.parse(artifact, config, ctx)) batch.add(entry);
        } catch (error) {
          batch.discard();
          if (artifact.scope === undefined) throw error;
          ctx.partFailed(artifact.scope, error);
          continue;
        }
        const { fresh, duplicates } = batch.commit();
        for (const ref of fresh) coverage.parsed(ref.scope);
        for (const ref of duplicates) {
          stats.duplicateEntries++;
          logger.warn({ kind: ref.kind, externalId: ref.externalId, artifact: artifact.name }, 'entry seen twice in one run; keeping the last');
        }
        signal.throwIfAborted();
      }
      stats.itemsParsed = parsed.size;
      const parts = coverage.finish();
      logger.info({ items: parsed.size, failedParts: parts.filter((p) => p.failure).length }, 'parsed');
      // Nothing of the source was backed up, for reasons that may pass: worth another attempt.
      if (coverage.allFailed() && parsed.size === 0 && partErrors.length > 0 && partErrors.every(isRetryableRunFailure)) throw new AllPartsFailed(partErrors[0]);

      signal.throwIfAborted();
      // Before the catalog transaction, not inside it: the fence locks the run row, so a progress
      // write still in flight would wait for the transaction while the transaction waited for it.
      await progress.close();
      let finished: RunRecord | null = null;
      await this.writer.apply({
        runId: run.id,
        sourceId: source.id,
        entries: parsed,
        incomplete: coverage.incompleteScopes(),
        guard: this.settings.guard,
        fence: (tx) => this.claims.fence(tx, token),
        complete: async (tx, result) => {
          Object.assign(stats, withoutHeld(result));
          stats.durationMs = Date.now() - started;
          finished = await this.claims.finish(token, outcomeOf(run.id, result, coverage, parts, parsed.size, toJson({ ...stats, coverage: parts })), tx);
          if (!finished) throw new LeaseLostError(token, 'the run row changed under the catalog transaction');
        },
      });
      const done = finished as unknown as RunRecord;
      logger.info({ status: done.status, stats }, 'run finished');
      return done;
    } catch (thrown) {
      // What was archived is recorded even when the run fails: the bytes are kept, and findable.
      await recordArtifacts().catch((error: unknown) => logger.warn({ err: error }, 'could not record the archived objects of a failed run'));
      await progress.close();
      stats.durationMs = Date.now() - started;
      const reason: unknown = signal.aborted ? signal.reason : thrown;
      if (reason instanceof LeaseLostError) {
        logger.warn({ reason: reason.message }, 'run stopped here: its lease is gone and another replica reruns it; the catalog was not changed by this attempt');
        return (await this.runs.findById(run.id)) ?? run;
      }
      if (reason instanceof RunReleasedError) {
        logger.warn({ stats }, 'run handed back to the queue (shutdown)');
        return (await this.claims.release(token, toJson(stats))) ?? run;
      }
      if (signal.aborted) {
        const why = reason instanceof RunCancelledError ? reason.message : ((reason as Error | undefined)?.message ?? 'cancelled');
        logger.warn({ reason: why, stats }, 'run cancelled');
        return this.ended(token, run, { status: 'cancelled', stats: toJson(stats), error: toJson({ stage: 'engine', code: 'CANCELLED', message: `the run was ${why}; the catalog was not changed` }) });
      }
      const error = thrown instanceof AllPartsFailed ? thrown.first : thrown;
      const failure = describeRunFailure(error);
      if (isRetryableRunFailure(error) && run.attempt < run.maxAttempts) {
        const delay = retryDelayMs(run.attempt + 1, this.engine.retryBaseMs, retryAfterOf(error));
        logger.warn({ failure, retryInMs: delay, nextAttempt: run.attempt + 1 }, 'run failed; it will be retried');
        const retrying = { ...failure, retrying: { nextAttempt: run.attempt + 1, maxAttempts: run.maxAttempts, notBefore: new Date(Date.now() + delay).toISOString() } };
        return (await this.claims.retryLater(token, { notBefore: new Date(Date.now() + delay), stats: toJson(stats), error: toJson(retrying) })) ?? run;
      }
      logger.error({ failure, stats }, 'run failed');
      return this.ended(token, run, { status: 'failed', stats: toJson(stats), error: toJson({ ...failure, attempt: run.attempt }) });
    } finally {
      lease.stop();
      this.cancellation.release(run.id);
      entries?.dispose();
      await Promise.all(spooled.map((file) => file.dispose().catch(() => undefined)));
    }
  }

  private async ended(token: { runId: string; owner: string; attempt: number }, run: RunRecord, outcome: Parameters<RunClaimRepository['finish']>[1]): Promise<RunRecord> {
    return (await this.claims.finish(token, outcome)) ?? (await this.runs.findById(run.id)) ?? run;
  }
}

function outcomeOf(
  runId: string,
  result: RunWriteResult,
  coverage: RunCoverage,
  parts: CoveragePart[],
  entryCount: number,
  stats: Prisma.InputJsonValue,
): { status: 'succeeded' | 'partial' | 'failed' | 'held'; stats: Prisma.InputJsonValue; error?: Prisma.InputJsonValue } {
  if (result.held) {
    return { status: 'held', stats, error: toJson({ stage: 'guard', code: 'GUARD_HELD', message: `${result.held.reason}; apply or discard it (apivault runs apply|discard ${runId})`, ...result.held }) };
  }
  if (!coverage.hasFailures()) return { status: 'succeeded', stats };
  if (coverage.allFailed() && entryCount === 0) {
    // Nothing of the source was backed up: the run failed, with the first part's reason.
    return { status: 'failed', stats, error: toJson({ ...parts[0]!.failure!, parts: partialFailure(parts).parts }) };
  }
  return { status: 'partial', stats, error: toJson(partialFailure(parts)) };
}

function withoutHeld(result: RunWriteResult): Omit<RunWriteResult, 'held'> {
  const { held: _held, ...counts } = result;
  return counts;
}

/** The error of a partial run: which parts failed and why, first failure first. */
function partialFailure(parts: CoveragePart[]) {
  const failed = parts.filter((p) => p.failure !== null);
  return {
    stage: 'coverage',
    code: 'PARTIAL',
    message: `${failed.length} part(s) of the source failed: ${failed.map((p) => `${p.scope || 'source'} (${p.failure!.code}: ${p.failure!.message})`).join('; ')}`,
    parts: failed.map((p) => ({ scope: p.scope, expected: p.expected, parsed: p.parsed, failure: p.failure })),
  };
}

function toJson(value: object): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
