import { canonicalJson, type JsonValue } from '#catalog-model';
import { createHash } from 'node:crypto';
import type { ObjectLockSupport } from '#archive';

export const MANIFEST_FORMAT = 'apivault.snapshot.manifest/v1';

/** One catalog item as the snapshot froze it: its current version and where it came from. */
export interface ManifestItem {
  id: string;
  sourceId: string;
  kind: string;
  externalId: string;
  name: string;
  /** The part of the source the item belongs to ('' = the whole source). */
  scope: string;
  versionId: string;
  seq: number;
  /** SHA-256 of the version's canonical document (recomputed by verify). */
  contentHash: string;
  /** The raw export the version was parsed from. */
  artifactSha256: string;
}

/** An archive object the snapshot references: a raw export, by the SHA-256 of its content. */
export interface ManifestObject {
  sha256: string;
  size: number;
  key: string;
  /** What sealing found: the object readable with the right content, absent, or altered. */
  status: 'ok' | 'missing' | 'corrupt';
  /**
   * The bytes as stored (ciphertext when encrypted at rest), so stored copies can be checked
   * without the decryption key; null unless status is ok.
   */
  stored: { sha256: string; size: number; encryption: string } | null;
}

export interface CoverageEntry {
  scope: string;
  /** What the vendor's listing said the part holds (null when the connector cannot tell). */
  vendorListed: number | null;
  /** What the last run parsed from the part's export. */
  parsed: number;
  /** Active catalog items of the part at snapshot time. */
  held: number;
  failure: { code: string; message: string } | null;
}

export interface ManifestSource {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  /** Active catalog items at snapshot time. */
  items: number;
  lastRun: {
    id: string;
    status: string;
    trigger: string;
    startedAt: string | null;
    finishedAt: string | null;
    error: { code: string; message: string } | null;
    artifacts: string[];
  } | null;
  /** Per part of the source: vendor listing vs what we hold; null when the run recorded none. */
  coverage: CoverageEntry[] | null;
}

export type ManifestObjectLock =
  | { enabled: true; mode: string; retainUntil: string; source: string }
  | { enabled: false; reason: string };

export interface SnapshotManifest {
  format: typeof MANIFEST_FORMAT;
  snapshotId: string;
  scope: { id: string; sourceIds: string[] | null };
  sequence: number;
  createdAt: string;
  trigger: string;
  /** The hash chain: the previous snapshot of the same scope, or null for the first one. */
  previous: { snapshotId: string; sequence: number; manifestSha256: string; createdAt: string } | null;
  sources: ManifestSource[];
  items: ManifestItem[];
  objects: ManifestObject[];
  counts: {
    sources: number;
    items: number;
    itemsByKind: Record<string, number>;
    objects: number;
    objectBytes: number;
    /** Objects missing or altered when the snapshot was sealed (each is listed as a failure). */
    unavailableObjects: number;
  };
  archive: {
    /** How raw exports are stored: 'none' or the encryption format and master key id. */
    encryption: { format: string; keyId?: string };
    /** Whether the sealed files of this snapshot are under an Object Lock retention. */
    objectLock: ManifestObjectLock;
  };
  signing: { algorithm: 'Ed25519'; publicKeyFingerprint: string };
}

/** The manifest's bytes: canonical JSON (sorted keys, no whitespace), UTF-8. What is signed. */
export function serializeManifest(manifest: SnapshotManifest): Buffer {
  return Buffer.from(canonicalJson(manifest as unknown as JsonValue), 'utf8');
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function manifestObjectLock(support: ObjectLockSupport, createdAt: Date): ManifestObjectLock {
  if (!support.enabled) return { enabled: false, reason: support.reason };
  return {
    enabled: true,
    mode: support.mode,
    retainUntil: new Date(createdAt.getTime() + support.retentionDays * 86_400_000).toISOString(),
    source: support.source,
  };
}
