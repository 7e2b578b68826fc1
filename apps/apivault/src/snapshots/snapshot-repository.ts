import type { Prisma, PrismaClient } from '#catalog';
import type { SnapshotScopeRef } from './snapshot-scope.js';

export type SnapshotRecord = Prisma.SnapshotGetPayload<object>;
export type SnapshotScopeRecord = Prisma.SnapshotScopeGetPayload<object>;
export type SnapshotVerificationRecord = Prisma.SnapshotVerificationGetPayload<object>;

/** One active catalog item with its current version, as a snapshot reads it. */
export interface CurrentItemRow {
  id: string;
  sourceId: string;
  kind: string;
  externalId: string;
  name: string;
  scope: string;
  versionId: string;
  seq: number;
  contentHash: string;
  artifactSha256: string;
}

export interface LastRunRow {
  id: string;
  sourceId: string;
  status: string;
  trigger: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  stats: Prisma.JsonValue;
  error: Prisma.JsonValue;
}

/** What one snapshot reads, in one repeatable-read transaction: a consistent moment. */
export interface CatalogState {
  sources: { id: string; name: string; kind: string; enabled: boolean }[];
  lastRuns: Map<string, LastRunRow>;
  runArtifacts: Map<string, string[]>;
  items: CurrentItemRow[];
  artifactSizes: Map<string, number>;
}

export interface SealData {
  manifestSha256: string;
  storagePrefix: string;
  publicKeyFingerprint: string;
  items: number;
  objects: number;
  objectBytes: number;
  objectLock: Prisma.InputJsonValue;
  retainUntil: Date | null;
  files: Prisma.InputJsonValue;
  /** Archive objects the snapshot references and that exist (garbage collection keeps them). */
  artifactSha256s: string[];
}

const READ_OPTIONS = { isolationLevel: 'RepeatableRead', maxWait: 60_000, timeout: 10 * 60_000 } as const;
const BATCH = 1000;

/** Snapshots, their scopes, verifications and the archive facts they rely on. */
export class SnapshotRepository {
  constructor(private readonly prisma: PrismaClient) {}

  ensureScope(scope: SnapshotScopeRef): Promise<SnapshotScopeRecord> {
    return this.prisma.snapshotScope.upsert({
      where: { id: scope.id },
      create: { id: scope.id, sourceIds: scope.sourceIds ?? [] },
      update: {},
    });
  }

  findScope(id: string): Promise<SnapshotScopeRecord | null> {
    return this.prisma.snapshotScope.findUnique({ where: { id } });
  }

  listScopes(): Promise<SnapshotScopeRecord[]> {
    return this.prisma.snapshotScope.findMany({ orderBy: { id: 'asc' } });
  }

  /** `{}` restores the defaults. */
  setRetention(scopeId: string, retention: Prisma.InputJsonValue): Promise<SnapshotScopeRecord> {
    return this.prisma.snapshotScope.update({ where: { id: scopeId }, data: { retention } });
  }

  /** The scope's newest row of any status: the next snapshot takes the following sequence number. */
  latest(scopeId: string): Promise<SnapshotRecord | null> {
    return this.prisma.snapshot.findFirst({ where: { scopeId }, orderBy: { seq: 'desc' } });
  }

  /** The newest sealed (or since pruned) snapshot: the link the next one chains to. */
  latestSealed(scopeId: string): Promise<SnapshotRecord | null> {
    return this.prisma.snapshot.findFirst({ where: { scopeId, status: { in: ['sealed', 'pruned'] } }, orderBy: { seq: 'desc' } });
  }

  /** A snapshot left `sealing` by a process that died long ago can never finish. */
  failAbandoned(scopeId: string, startedBefore: Date): Promise<Prisma.BatchPayload> {
    return this.prisma.snapshot.updateMany({
      where: { scopeId, status: 'sealing', createdAt: { lt: startedBefore } },
      data: { status: 'failed', error: { code: 'ABANDONED', message: 'the service stopped while this snapshot was being sealed' } },
    });
  }

  /** Inserts the row that claims the sequence number; (scope, seq) is unique, so a concurrent snapshot loses. */
  begin(data: { id: string; scopeId: string; seq: number; trigger: string; createdAt: Date; previousId: string | null; previousManifestSha256: string | null }): Promise<SnapshotRecord> {
    return this.prisma.snapshot.create({ data: { ...data, status: 'sealing' } });
  }

  async seal(id: string, data: SealData): Promise<SnapshotRecord> {
    const { artifactSha256s, objectBytes, ...fields } = data;
    return this.prisma.$transaction(async (tx) => {
      for (let i = 0; i < artifactSha256s.length; i += BATCH) {
        await tx.snapshotArtifact.createMany({ data: artifactSha256s.slice(i, i + BATCH).map((artifactSha256) => ({ snapshotId: id, artifactSha256 })), skipDuplicates: true });
      }
      return tx.snapshot.update({ where: { id }, data: { ...fields, objectBytes: BigInt(objectBytes), status: 'sealed', sealedAt: new Date() } });
    });
  }

  fail(id: string, error: Prisma.InputJsonValue): Promise<SnapshotRecord> {
    return this.prisma.snapshot.update({ where: { id }, data: { status: 'failed', error } });
  }

  findById(id: string): Promise<SnapshotRecord | null> {
    return this.prisma.snapshot.findUnique({ where: { id } });
  }

  list(filter: { scopeId?: string; status?: SnapshotRecord['status'][]; limit: number; before?: Date }): Promise<SnapshotRecord[]> {
    return this.prisma.snapshot.findMany({
      where: { scopeId: filter.scopeId, status: filter.status ? { in: filter.status } : undefined, createdAt: filter.before ? { lt: filter.before } : undefined },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit,
    });
  }

  sealedInScope(scopeId: string): Promise<SnapshotRecord[]> {
    return this.prisma.snapshot.findMany({ where: { scopeId, status: 'sealed' }, orderBy: { seq: 'desc' } });
  }

  async readCatalogState(scope: SnapshotScopeRef): Promise<CatalogState> {
    return this.prisma.$transaction(async (tx) => {
      const sources = await tx.source.findMany({
        where: scope.sourceIds ? { id: { in: scope.sourceIds } } : undefined,
        select: { id: true, name: true, kind: true, enabled: true },
        orderBy: { name: 'asc' },
      });
      const ids = sources.map((s) => s.id);
      if (ids.length === 0) return { sources, lastRuns: new Map(), runArtifacts: new Map(), items: [], artifactSizes: new Map() };
      // One text parameter: the same SQL on PostgreSQL and PGlite, whatever the adapter does with arrays.
      const inSources = ids.join(',');
      const lastRuns = await tx.$queryRaw<LastRunRow[]>`
        SELECT DISTINCT ON (r.source_id) r.id, r.source_id AS "sourceId", r.status::text AS status, r.trigger,
               r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.stats, r.error
        FROM runs r
        WHERE r.source_id = ANY(string_to_array(${inSources}, ',')::uuid[]) AND r.finished_at IS NOT NULL
        ORDER BY r.source_id, r.finished_at DESC, r.created_at DESC`;
      const runArtifacts = new Map<string, string[]>();
      if (lastRuns.length > 0) {
        const rows = await tx.runArtifact.findMany({ where: { runId: { in: lastRuns.map((r) => r.id) } }, select: { runId: true, artifactSha256: true } });
        for (const row of rows) runArtifacts.set(row.runId, [...(runArtifacts.get(row.runId) ?? []), row.artifactSha256]);
      }
      const items = await tx.$queryRaw<CurrentItemRow[]>`
        SELECT i.id, i.source_id AS "sourceId", i.kind, i.external_id AS "externalId", i.name, i.scope,
               v.id AS "versionId", v.seq, v.content_hash AS "contentHash", v.artifact_sha256 AS "artifactSha256"
        FROM catalog_items i JOIN catalog_versions v ON v.id = i.current_version_id
        WHERE i.source_id = ANY(string_to_array(${inSources}, ',')::uuid[]) AND i.removed_at IS NULL`;
      const shas = new Set([...items.map((i) => i.artifactSha256), ...[...runArtifacts.values()].flat()]);
      const artifactSizes = new Map<string, number>();
      const shaList = [...shas];
      for (let i = 0; i < shaList.length; i += BATCH) {
        const rows = await tx.artifact.findMany({ where: { sha256: { in: shaList.slice(i, i + BATCH) } }, select: { sha256: true, size: true } });
        for (const row of rows) artifactSizes.set(row.sha256, Number(row.size));
      }
      return { sources, lastRuns: new Map(lastRuns.map((r) => [r.sourceId, r])), runArtifacts, items: items.map((i) => ({ ...i, seq: Number(i.seq) })), artifactSizes };
    }, READ_OPTIONS);
  }

  async storedDigests(sha256s: string[]): Promise<Map<string, { storedSha256: string; storedSize: number; encryption: string }>> {
    const digests = new Map<string, { storedSha256: string; storedSize: number; encryption: string }>();
    for (let i = 0; i < sha256s.length; i += BATCH) {
      const rows = await this.prisma.archiveObjectDigest.findMany({ where: { artifactSha256: { in: sha256s.slice(i, i + BATCH) } } });
      for (const row of rows) digests.set(row.artifactSha256, { storedSha256: row.storedSha256, storedSize: Number(row.storedSize), encryption: row.encryption });
    }
    return digests;
  }

  async recordStoredDigest(sha256: string, stored: { sha256: string; size: number; encryption: string }): Promise<void> {
    await this.prisma.archiveObjectDigest.createMany({
      data: [{ artifactSha256: sha256, storedSha256: stored.sha256, storedSize: BigInt(stored.size), encryption: stored.encryption }],
      skipDuplicates: true,
    });
  }

  /** Versions by id, with their documents, for recomputing content hashes. */
  async versions(ids: string[]) {
    const rows = [];
    for (let i = 0; i < ids.length; i += BATCH) {
      rows.push(
        ...(await this.prisma.catalogVersion.findMany({
          where: { id: { in: ids.slice(i, i + BATCH) } },
          select: { id: true, itemId: true, seq: true, contentHash: true, document: true, artifactSha256: true },
        })),
      );
    }
    return rows;
  }

  recordVerification(data: { snapshotId: string; trigger: string; startedAt: Date; finishedAt: Date; ok: boolean; sample: Prisma.InputJsonValue; report: Prisma.InputJsonValue }): Promise<SnapshotVerificationRecord> {
    return this.prisma.snapshotVerification.create({ data });
  }

  latestVerification(snapshotId: string): Promise<SnapshotVerificationRecord | null> {
    return this.prisma.snapshotVerification.findFirst({ where: { snapshotId }, orderBy: { startedAt: 'desc' } });
  }

  /** The row stays (the chain can still be followed through its recorded hash); the references go. */
  async markPruned(id: string, at: Date): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.snapshotArtifact.deleteMany({ where: { snapshotId: id } }),
      this.prisma.snapshot.update({ where: { id }, data: { status: 'pruned', prunedAt: at } }),
    ]);
  }

  /**
   * Archive objects nothing needs any more: no catalog version came from them, no snapshot
   * references them (other than those in `excludingSnapshots`, about to be pruned), no run that
   * is active, held or recent (created after `graceStart`: a running backup may be about to
   * reference an object it found already stored) fetched them, and they are not the raw
   * exports of a source's latest finished run.
   */
  garbageCandidates(graceStart: Date, excludingSnapshots: string[]): Promise<{ sha256: string; size: bigint }[]> {
    const excluded = excludingSnapshots.join(',');
    return this.prisma.$queryRaw`
      SELECT a.sha256, a.size
      FROM artifacts a
      WHERE a.created_at < ${graceStart}
        AND NOT EXISTS (SELECT 1 FROM catalog_versions v WHERE v.artifact_sha256 = a.sha256)
        AND NOT EXISTS (SELECT 1 FROM snapshot_artifacts sa JOIN snapshots s ON s.id = sa.snapshot_id
                        WHERE sa.artifact_sha256 = a.sha256 AND s.status <> 'pruned'
                          AND s.id <> ALL(string_to_array(${excluded}, ',')::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM run_artifacts ra JOIN runs r ON r.id = ra.run_id
                        WHERE ra.artifact_sha256 = a.sha256
                          AND (r.status IN ('queued', 'running', 'held') OR r.created_at >= ${graceStart}))
        AND NOT EXISTS (SELECT 1 FROM run_artifacts ra
                        JOIN (SELECT DISTINCT ON (source_id) id FROM runs WHERE finished_at IS NOT NULL
                              ORDER BY source_id, finished_at DESC, created_at DESC) latest ON latest.id = ra.run_id
                        WHERE ra.artifact_sha256 = a.sha256)
      ORDER BY a.sha256`;
  }

  /** Snapshots being sealed right now (not abandoned): garbage collection waits for them. */
  sealingSince(since: Date): Promise<SnapshotRecord[]> {
    return this.prisma.snapshot.findMany({ where: { status: 'sealing', createdAt: { gte: since } } });
  }

  /** After its object was deleted: the artifact's rows go too (run_artifacts, digest), in one transaction. */
  async forgetArtifact(sha256: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.runArtifact.deleteMany({ where: { artifactSha256: sha256 } }),
      this.prisma.archiveObjectDigest.deleteMany({ where: { artifactSha256: sha256 } }),
      this.prisma.artifact.deleteMany({ where: { sha256 } }),
    ]);
  }
}
