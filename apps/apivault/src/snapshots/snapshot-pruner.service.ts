import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { contentKey, type ArchiveStore } from '#archive';
import { AuditService } from '../audit/audit.service.js';
import { ARCHIVE_STORE, LOGGER } from '../core/tokens.js';
import { planRetention, retentionPolicyOf, type RetentionPolicy, type RetentionReason } from './retention-policy.js';
import { SnapshotRepository, type SnapshotRecord } from './snapshot-repository.js';
import type { SnapshotSettings } from './snapshot-settings.js';
import { SNAPSHOT_SETTINGS } from './snapshot-tokens.js';

/** Objects younger than this are never collected, whatever references them (see garbageCandidates). */
const GC_GRACE_MS = 24 * 3_600_000;
/** A snapshot `sealing` for longer than this is abandoned and does not hold garbage collection back. */
const SEALING_TIMEOUT_MS = 60 * 60_000;

/** Who asked for the prune, for the audit trail; the CLI and the schedule name themselves. */
export interface PruneActor {
  name: string;
  tokenId?: string | null;
  role?: string | null;
}

export interface PruneResult {
  dryRun: boolean;
  at: string;
  scopes: {
    scopeId: string;
    policy: RetentionPolicy;
    keep: { id: string; seq: number; createdAt: string; reasons: RetentionReason[] }[];
    prune: { id: string; seq: number; createdAt: string; keys: string[] }[];
  }[];
  garbage: { skipped: string | null; objects: { sha256: string; key: string; size: number }[]; bytes: number };
}

/**
 * Retention: deletes the sealed files of snapshots outside their scope's policy (never one
 * under an Object Lock retention: the policy keeps those, and this checks again before each
 * delete), then the archive objects nothing references any more. Dry-run by default.
 */
@Injectable()
export class SnapshotPrunerService {
  constructor(
    private readonly repository: SnapshotRepository,
    private readonly audit: AuditService,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(SNAPSHOT_SETTINGS) private readonly settings: SnapshotSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async prune(options: { dryRun: boolean; now?: Date; actor?: PruneActor }): Promise<PruneResult> {
    const now = options.now ?? new Date();
    const { dryRun } = options;
    const actor = options.actor ?? { name: 'retention' };
    const scopes: PruneResult['scopes'] = [];
    const pruned: SnapshotRecord[] = [];
    for (const scope of await this.repository.listScopes()) {
      const policy = retentionPolicyOf(scope.retention as Partial<RetentionPolicy> | null, this.settings.retention);
      const decision = planRetention(await this.repository.sealedInScope(scope.id), policy, now);
      scopes.push({
        scopeId: scope.id,
        policy,
        keep: decision.keep.map(({ snapshot, reasons }) => ({ id: snapshot.id, seq: snapshot.seq, createdAt: snapshot.createdAt.toISOString(), reasons })),
        prune: decision.prune.map((s) => ({ id: s.id, seq: s.seq, createdAt: s.createdAt.toISOString(), keys: sealedKeys(s) })),
      });
      pruned.push(...decision.prune);
    }
    for (const snapshot of dryRun ? [] : pruned) await this.pruneSnapshot(snapshot, now, actor);

    const garbage = await this.collectGarbage(dryRun, now, pruned.map((s) => s.id), actor);
    this.logger.info({ dryRun, snapshots: pruned.length, objects: garbage.objects.length, bytes: garbage.bytes }, dryRun ? 'prune planned (dry run)' : 'prune done');
    return { dryRun, at: now.toISOString(), scopes, garbage };
  }

  private recordDeletion(actor: PruneActor, key: string, resourceId: string, details: Record<string, string | number>): Promise<void> {
    return this.audit.record(auditEvent(actor, key, resourceId, details));
  }

  private async pruneSnapshot(snapshot: SnapshotRecord, now: Date, actor: PruneActor): Promise<void> {
    if (snapshot.retainUntil && snapshot.retainUntil.getTime() > now.getTime()) {
      throw new Error(`refusing to prune snapshot ${snapshot.id}: it is under lock until ${snapshot.retainUntil.toISOString()}`);
    }
    for (const key of sealedKeys(snapshot)) {
      await this.archive.delete(key);
      this.logger.warn({ event: 'snapshot.file.deleted', snapshotId: snapshot.id, scopeId: snapshot.scopeId, seq: snapshot.seq, key }, 'deleted a sealed snapshot file (retention)');
      await this.recordDeletion(actor, key, snapshot.id, { reason: 'retention', scopeId: snapshot.scopeId, seq: snapshot.seq, createdAt: snapshot.createdAt.toISOString() });
    }
    await this.repository.markPruned(snapshot.id, now);
  }

  private async collectGarbage(dryRun: boolean, now: Date, prunedIds: string[], actor: PruneActor): Promise<PruneResult['garbage']> {
    const sealing = await this.repository.sealingSince(new Date(now.getTime() - SEALING_TIMEOUT_MS));
    if (sealing.length > 0) {
      return { skipped: `snapshot ${sealing[0]!.id} is being sealed; garbage collection waits for it`, objects: [], bytes: 0 };
    }
    const candidates = await this.repository.garbageCandidates(new Date(now.getTime() - GC_GRACE_MS), prunedIds);
    const objects = candidates.map((c) => ({ sha256: c.sha256, key: contentKey(c.sha256), size: Number(c.size) }));
    for (const object of dryRun ? [] : objects) {
      await this.archive.delete(object.key);
      await this.repository.forgetArtifact(object.sha256);
      this.logger.warn({ event: 'archive.object.deleted', key: object.key, sha256: object.sha256, size: object.size }, 'deleted an archive object nothing references (garbage collection)');
      await this.recordDeletion(actor, object.key, object.sha256, { reason: 'garbage-collection', size: object.size });
    }
    return { skipped: null, objects, bytes: objects.reduce((sum, o) => sum + o.size, 0) };
  }
}

/** One audit event per deleted object, beside the call's own event (the HTTP recorder's). */
function auditEvent(actor: PruneActor, key: string, resourceId: string, details: Record<string, string | number>) {
  return {
    tokenId: actor.tokenId ?? null,
    actor: actor.name,
    role: actor.role ?? null,
    method: 'DELETE',
    route: 'snapshots.prune',
    path: key,
    resourceId,
    ip: null,
    status: 200,
    details,
  };
}

function sealedKeys(snapshot: SnapshotRecord): string[] {
  if (!snapshot.storagePrefix) return [];
  return Object.keys((snapshot.files ?? {}) as Record<string, string>).sort().map((name) => snapshot.storagePrefix + name);
}
