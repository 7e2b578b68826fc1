import { randomUUID, sign } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ArchiveObjectMissingError, contentKey, type ArchiveStore, type WriteOnceOptions } from '#archive';
import type { Prisma } from '#catalog';
import type { AppSettings } from '../config/app-settings.js';
import { APP_SETTINGS, ARCHIVE_STORE, LOGGER } from '../core/tokens.js';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import { SourcesService } from '../sources/sources.service.js';
import { buildEvidence, renderEvidenceHtml } from './evidence-report.js';
import { buildManifest } from './manifest-builder.js';
import type { SigningKeyView } from './signing-key-view.js';
import { SNAPSHOT_FILES, snapshotPrefix } from './snapshot-files.js';
import { manifestObjectLock, serializeManifest, sha256Hex, type ManifestObject } from './snapshot-manifest.js';
import { SnapshotRepository, type SnapshotRecord } from './snapshot-repository.js';
import { scopeOf } from './snapshot-scope.js';
import { SNAPSHOT_SIGNING_KEY } from './snapshot-tokens.js';
import type { SnapshotSigningKey } from './signing-key.js';
import { toSnapshotView, type SnapshotView } from './snapshot-view.js';

/** A `sealing` row older than this was left by a process that died: it is marked failed. */
const ABANDONED_AFTER_MS = 60 * 60_000;
/** Objects inspected at once when a snapshot meets them for the first time. */
const INSPECT_CONCURRENCY = 4;

export interface CreateSnapshotRequest {
  /** Source names or ids; none = the whole catalog. */
  sources?: string[];
  trigger: string;
}

/**
 * Takes compliance snapshots: freezes the catalog (or some sources) at one moment into a
 * canonical-JSON manifest, chains it to the scope's previous snapshot, signs it with Ed25519,
 * and writes manifest, signature, public key and evidence report to the archive once, under
 * keys no other snapshot uses, with an Object Lock retention where the store has one.
 */
@Injectable()
export class SnapshotService {
  constructor(
    private readonly repository: SnapshotRepository,
    private readonly sources: SourcesService,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(SNAPSHOT_SIGNING_KEY) private readonly signingKey: SnapshotSigningKey,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get publicKey(): SigningKeyView {
    return { pem: this.signingKey.publicKeyPem, fingerprint: this.signingKey.fingerprint, algorithm: 'Ed25519' };
  }

  async create(request: CreateSnapshotRequest): Promise<SnapshotView> {
    const sourceIds = request.sources && request.sources.length > 0 ? await Promise.all(request.sources.map(async (s) => (await this.sources.get(s)).id)) : null;
    const scope = scopeOf(sourceIds);
    await this.repository.ensureScope(scope);
    await this.repository.failAbandoned(scope.id, new Date(Date.now() - ABANDONED_AFTER_MS));
    const previous = await this.repository.latestSealed(scope.id);
    const sequence = ((await this.repository.latest(scope.id))?.seq ?? 0) + 1;
    const createdAt = new Date();
    const id = randomUUID();
    try {
      await this.repository.begin({
        id,
        scopeId: scope.id,
        seq: sequence,
        trigger: request.trigger,
        createdAt,
        previousId: previous?.id ?? null,
        previousManifestSha256: previous?.manifestSha256 ?? null,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') {
        throw new ConflictError('SNAPSHOT_IN_PROGRESS', `another snapshot of scope ${scope.id} is being taken; try again when it is sealed`, { scopeId: scope.id });
      }
      throw error;
    }
    const logger = this.logger.child({ snapshotId: id, scopeId: scope.id, seq: sequence });
    logger.info({ trigger: request.trigger }, 'snapshot started');
    try {
      const sealed = await this.seal(id, scope, sequence, createdAt, request.trigger, previous, logger);
      return toSnapshotView(sealed);
    } catch (error) {
      logger.error({ err: error }, 'snapshot failed');
      await this.repository.fail(id, { code: (error as Error).name || 'INTERNAL', message: (error as Error).message ?? String(error) }).catch(() => undefined);
      throw error;
    }
  }

  async get(id: string): Promise<SnapshotView> {
    const snapshot = await this.repository.findById(id);
    if (!snapshot) throw new NotFoundError('snapshot', id);
    const verification = await this.repository.latestVerification(id);
    return toSnapshotView(snapshot, verification);
  }

  async list(filter: { scopeId?: string; limit: number; before?: Date }): Promise<{ items: SnapshotView[]; nextCursor: string | null }> {
    const rows = await this.repository.list(filter);
    return { items: rows.map((row) => toSnapshotView(row)), nextCursor: rows.length === filter.limit ? rows[rows.length - 1]!.createdAt.toISOString() : null };
  }

  private async seal(
    id: string,
    scope: ReturnType<typeof scopeOf>,
    sequence: number,
    createdAt: Date,
    trigger: string,
    previous: SnapshotRecord | null,
    logger: Logger,
  ): Promise<SnapshotRecord> {
    const state = await this.repository.readCatalogState(scope);
    const shas = new Set([...state.items.map((i) => i.artifactSha256), ...[...state.runArtifacts.values()].flat()]);
    const objects = await this.describeObjects([...shas], state.artifactSizes, logger);
    const objectLock = manifestObjectLock(await this.archive.objectLock(), createdAt);
    if (!objectLock.enabled) logger.info({ reason: objectLock.reason }, 'snapshot files are written without Object Lock');

    const manifest = buildManifest({
      snapshotId: id,
      scope,
      sequence,
      createdAt,
      trigger,
      previous:
        previous && previous.manifestSha256
          ? { snapshotId: previous.id, sequence: previous.seq, manifestSha256: previous.manifestSha256, createdAt: previous.createdAt.toISOString() }
          : null,
      state,
      objects,
      encryption: this.archive.encryption,
      objectLock,
      publicKeyFingerprint: this.signingKey.fingerprint,
    });
    const manifestBytes = serializeManifest(manifest);
    const manifestSha256 = sha256Hex(manifestBytes);
    const signature = sign(null, manifestBytes, this.signingKey.privateKey);
    const prefix = snapshotPrefix(scope.id, createdAt, manifestSha256);
    const keys = { manifest: prefix + SNAPSHOT_FILES.manifest, signature: prefix + SNAPSHOT_FILES.signature, publicKey: prefix + SNAPSHOT_FILES.publicKey };
    const evidence = buildEvidence({ manifest, manifestBytes: manifestBytes.length, manifestSha256, signature, publicKeyPem: this.signingKey.publicKeyPem, keys });

    const options: WriteOnceOptions = objectLock.enabled ? { retention: { mode: objectLock.mode as 'COMPLIANCE' | 'GOVERNANCE', retainUntil: new Date(objectLock.retainUntil) } } : {};
    const files: Record<string, string> = {};
    const write = async (name: string, bytes: Buffer) => {
      files[name] = (await this.archive.putSealed(prefix + name, bytes, this.settings.tmpDir, options)).sha256;
    };
    // The manifest first: if anything after it fails, the snapshot is failed, and its folder
    // holds an orphan manifest that no chain references.
    await write(SNAPSHOT_FILES.manifest, manifestBytes);
    await write(SNAPSHOT_FILES.signature, signature);
    await write(SNAPSHOT_FILES.publicKey, Buffer.from(this.signingKey.publicKeyPem));
    await write(SNAPSHOT_FILES.evidenceJson, Buffer.from(`${JSON.stringify(evidence, null, 2)}\n`));
    await write(SNAPSHOT_FILES.evidenceHtml, Buffer.from(renderEvidenceHtml(evidence)));

    const sealed = await this.repository.seal(id, {
      manifestSha256,
      storagePrefix: prefix,
      publicKeyFingerprint: this.signingKey.fingerprint,
      items: manifest.counts.items,
      objects: manifest.counts.objects,
      objectBytes: manifest.counts.objectBytes,
      objectLock: objectLock as unknown as Prisma.InputJsonValue,
      retainUntil: objectLock.enabled ? new Date(objectLock.retainUntil) : null,
      files,
      artifactSha256s: objects.filter((o) => o.status !== 'missing').map((o) => o.sha256),
    });
    logger.info(
      { manifestSha256, prefix, items: manifest.counts.items, objects: manifest.counts.objects, failures: evidence.failures.length, objectLock: objectLock.enabled },
      'snapshot sealed',
    );
    return sealed;
  }

  /**
   * Digests of each object as stored. Objects are write-once, so a digest measured once (with
   * the content verified in the same read) is kept and reused by later snapshots.
   */
  private async describeObjects(shas: string[], sizes: Map<string, number>, logger: Logger): Promise<ManifestObject[]> {
    const known = await this.repository.storedDigests(shas);
    const limit = pLimit(INSPECT_CONCURRENCY);
    return Promise.all(
      shas.map((sha256) =>
        limit(async (): Promise<ManifestObject> => {
          const base = { sha256, size: sizes.get(sha256) ?? 0, key: contentKey(sha256) };
          const digest = known.get(sha256);
          if (digest) return { ...base, status: 'ok', stored: { sha256: digest.storedSha256, size: digest.storedSize, encryption: digest.encryption } };
          try {
            const inspection = await this.archive.inspect(sha256);
            if (!inspection.content.ok) {
              logger.warn({ key: base.key, problem: inspection.content.problem, actualSha256: inspection.content.actualSha256 }, 'archive object is corrupt');
              return { ...base, status: 'corrupt', stored: null };
            }
            await this.repository.recordStoredDigest(sha256, inspection.stored);
            return { ...base, status: 'ok', stored: inspection.stored };
          } catch (error) {
            if (!(error instanceof ArchiveObjectMissingError)) throw error;
            logger.warn({ key: base.key }, 'archive object is missing');
            return { ...base, status: 'missing', stored: null };
          }
        }),
      ),
    );
  }
}
