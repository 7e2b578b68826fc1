import type { SnapshotRecord, SnapshotVerificationRecord } from './snapshot-repository.js';
import { SNAPSHOT_FILES } from './snapshot-files.js';

export interface SnapshotView {
  id: string;
  scopeId: string;
  seq: number;
  status: string;
  trigger: string;
  createdAt: Date;
  sealedAt: Date | null;
  previousId: string | null;
  previousManifestSha256: string | null;
  manifestSha256: string | null;
  publicKeyFingerprint: string | null;
  items: number;
  objects: number;
  objectBytes: number;
  objectLock: unknown;
  retainUntil: Date | null;
  /** Archive keys of the sealed files. */
  files: Record<string, { key: string; sha256: string }>;
  error: unknown;
  prunedAt: Date | null;
  lastVerification?: { id: string; startedAt: Date; ok: boolean; trigger: string; sample: unknown } | null;
}

export function toSnapshotView(row: SnapshotRecord, verification?: SnapshotVerificationRecord | null): SnapshotView {
  const hashes = (row.files ?? {}) as Record<string, string>;
  const files = row.storagePrefix
    ? Object.fromEntries(Object.values(SNAPSHOT_FILES).filter((name) => hashes[name]).map((name) => [name, { key: row.storagePrefix + name, sha256: hashes[name]! }]))
    : {};
  return {
    id: row.id,
    scopeId: row.scopeId,
    seq: row.seq,
    status: row.status,
    trigger: row.trigger,
    createdAt: row.createdAt,
    sealedAt: row.sealedAt,
    previousId: row.previousId,
    previousManifestSha256: row.previousManifestSha256,
    manifestSha256: row.manifestSha256,
    publicKeyFingerprint: row.publicKeyFingerprint,
    items: row.items,
    objects: row.objects,
    objectBytes: Number(row.objectBytes),
    objectLock: row.objectLock,
    retainUntil: row.retainUntil,
    files,
    error: row.error,
    prunedAt: row.prunedAt,
    ...(verification === undefined
      ? {}
      : { lastVerification: verification ? { id: verification.id, startedAt: verification.startedAt, ok: verification.ok, trigger: verification.trigger, sample: verification.sample } : null }),
  };
}
