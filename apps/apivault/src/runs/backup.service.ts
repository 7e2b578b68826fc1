import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ArchiveStore, SpooledFile } from '#archive';
import type { CatalogEntry } from '#catalog-model';
import { ArtifactRepository, CatalogRunWriter, itemKey, RunRepository, type Prisma, type RunRecord, type SourceRecord } from '#catalog';
import { VendorCallError, type ArchivedArtifact, type ConnectorContext, type ConnectorRegistry } from '#connectors';
import type { AppSettings } from '../config/app-settings.js';
import { APP_SETTINGS, ARCHIVE_STORE, CONNECTOR_REGISTRY, LOGGER } from '../core/tokens.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { ConflictError } from '../http/app-errors.js';
import { InstallationSecretsService } from '../secrets/installation-secrets.service.js';
import { SourcesService } from '../sources/sources.service.js';
import { RunCancellation } from '../run-control/run-cancellation.js';
import { describeRunFailure } from './run-failure.js';
import { RunCoverage, type CoveragePart } from './run-coverage.js';
import { RunProgressRecorder } from './run-progress.js';
import { emptyRunStats } from './run-stats.js';

export interface StartedRun {
  run: RunRecord;
  /** Settles when the run has ended; never rejects: the outcome is on the run record. */
  finished: Promise<RunRecord>;
}

/**
 * One backup run of one source: fetch every raw export, archive it (content addressed), parse
 * it into catalog entries, and apply the result to the catalog in one transaction. A failure at
 * any stage leaves the catalog as it was and records why on the run.
 */
@Injectable()
export class BackupService {
  constructor(
    private readonly sources: SourcesService,
    private readonly credentials: CredentialsService,
    private readonly installationSecrets: InstallationSecretsService,
    private readonly runs: RunRepository,
    private readonly artifacts: ArtifactRepository,
    private readonly writer: CatalogRunWriter,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly cancellation: RunCancellation,
  ) {}

  /** Creates the run and starts it in the background (the API answers 202 at once). */
  async start(sourceIdOrName: string, trigger: string): Promise<StartedRun> {
    const source = await this.sources.get(sourceIdOrName);
    const active = await this.runs.findActiveForSource(source.id);
    if (active) {
      throw new ConflictError('RUN_IN_PROGRESS', `source ${source.name} already has run ${active.id} in progress; wait for it or cancel it`, {
        runId: active.id,
      });
    }
    const run = await this.runs.create({ sourceId: source.id, slot: `${trigger}:${randomUUID()}`, trigger });
    const finished = this.execute(run, source).catch(async (error: unknown) => {
      // Only reached when even recording the failure failed (database gone): say so loudly.
      this.logger.error({ runId: run.id, err: error }, 'run ended but its outcome could not be recorded');
      return (await this.runs.findById(run.id).catch(() => null)) ?? run;
    });
    return { run, finished };
  }

  /** Runs a source to the end and returns the finished run (CLI, demo). */
  async runToCompletion(sourceIdOrName: string, trigger: string): Promise<RunRecord> {
    return (await this.start(sourceIdOrName, trigger)).finished;
  }

  private async execute(run: RunRecord, source: SourceRecord): Promise<RunRecord> {
    const started = Date.now();
    const logger = this.logger.child({ runId: run.id, sourceId: source.id, source: source.name, kind: source.kind });
    const stats = emptyRunStats();
    const spooled: SpooledFile[] = [];
    const progress = new RunProgressRecorder(stats, (snapshot) => this.runs.updateStats(run.id, toJson({ ...snapshot, durationMs: Date.now() - started })), logger);
    const flush = (): void => progress.touch();
    // Cancelling aborts vendor calls and retry waits; the checks below stop between steps.
    const signal = this.cancellation.register(run.id);
    logger.info({ trigger: run.trigger }, 'run started');

    try {
      const connector = this.registry.get(source.kind);
      const config = connector.validateConfig(source.config);
      const coverage = new RunCoverage();
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
            : new VendorCallError(`reading the response body of ${raw.call} failed: ${(error as Error).message}`, { call: raw.call, code: 'NETWORK' });
        });
        spooled.push(file);
        const stored = await this.archive.putFile(file);
        await this.artifacts.recordForRun(run.id, { sha256: stored.sha256, size: stored.size, storageKey: stored.key, contentType: raw.contentType }, raw.name, raw.call);
        stats.artifacts++;
        stats.bytes += stored.size;
        if (stored.created) stats.artifactsNew++;
        logger.info({ artifact: raw.name, call: raw.call, scope: raw.scope, sha256: stored.sha256, size: stored.size, created: stored.created }, 'artifact archived');
        archived.push({ name: raw.name, call: raw.call, contentType: raw.contentType, sha256: stored.sha256, size: stored.size, localPath: file.path, scope: raw.scope, meta: raw.meta });
        flush();
      }

      const entries = new Map<string, CatalogEntry>();
      for (const artifact of archived) {
        // An artifact counts whole or not at all: entries are kept only once it parsed fully.
        const fromArtifact: CatalogEntry[] = [];
        try {
          for await (const entry of connector.parse(artifact, config, ctx)) fromArtifact.push(entry);
        } catch (error) {
          if (artifact.scope === undefined) throw error;
          ctx.partFailed(artifact.scope, error);
          continue;
        }
        for (const entry of fromArtifact) {
          const key = itemKey(entry.kind, entry.externalId);
          if (entries.has(key)) {
            stats.duplicateEntries++;
            logger.warn({ kind: entry.kind, externalId: entry.externalId, artifact: artifact.name }, 'entry seen twice in one run; keeping the last');
          } else {
            coverage.parsed(entry.scope);
          }
          entries.set(key, entry);
        }
      }
      stats.itemsParsed = entries.size;
      const parts = coverage.finish();
      logger.info({ items: entries.size, failedParts: parts.filter((p) => p.failure).length }, 'parsed');

      signal.throwIfAborted();
      const { held, ...written } = await this.writer.apply({
        runId: run.id,
        sourceId: source.id,
        entries,
        incomplete: coverage.incompleteScopes(),
        guard: this.settings.guard,
      });
      Object.assign(stats, written);
      await progress.close();
      stats.durationMs = Date.now() - started;
      const statsJson = toJson({ ...stats, coverage: parts });
      const outcome = held
        ? { status: 'held' as const, stats: statsJson, error: toJson({ stage: 'guard', code: 'GUARD_HELD', message: `${held.reason}; apply or discard it (apivault runs apply|discard ${run.id})`, ...held }) }
        : !coverage.hasFailures()
          ? { status: 'succeeded' as const, stats: statsJson }
          : coverage.allFailed() && entries.size === 0
            ? // Nothing of the source was backed up: the run failed, with the first part's reason.
              { status: 'failed' as const, stats: statsJson, error: toJson({ ...parts[0]!.failure!, parts: partialFailure(parts).parts }) }
            : { status: 'partial' as const, stats: statsJson, error: toJson(partialFailure(parts)) };
      const finished = await this.runs.finish(run.id, outcome);
      logger.info({ status: finished.status, stats }, 'run finished');
      return finished;
    } catch (error) {
      const failure = describeRunFailure(error);
      await progress.close();
      stats.durationMs = Date.now() - started;
      if (signal.aborted) {
        const reason = (signal.reason as Error | undefined)?.message ?? 'cancelled';
        logger.warn({ reason, stats }, 'run cancelled');
        return this.runs.finish(run.id, { status: 'cancelled', stats: toJson(stats), error: toJson({ stage: 'engine', code: 'CANCELLED', message: `the run was ${reason}; the catalog was not changed` }) });
      }
      logger.error({ failure, stats }, 'run failed');
      return this.runs.finish(run.id, { status: 'failed', stats: toJson(stats), error: toJson(failure) });
    } finally {
      this.cancellation.release(run.id);
      await Promise.all(spooled.map((file) => file.dispose().catch(() => undefined)));
    }
  }
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
