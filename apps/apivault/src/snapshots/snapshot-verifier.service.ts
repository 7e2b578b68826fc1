import { randomInt, verify as verifySignature } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ArchiveObjectMissingError, type ArchiveStore } from '#archive';
import { canonicalJson, contentHash, type JsonValue } from '#catalog-model';
import type { Prisma } from '#catalog';
import { ARCHIVE_STORE, LOGGER } from '../core/tokens.js';
import { ConflictError, NotFoundError } from '../http/app-errors.js';
import { seededSample } from './seeded-sample.js';
import { SNAPSHOT_FILES } from './snapshot-files.js';
import { sha256Hex, type ManifestItem, type ManifestObject, type SnapshotManifest } from './snapshot-manifest.js';
import { SnapshotRepository, type SnapshotRecord } from './snapshot-repository.js';
import { SNAPSHOT_SIGNING_KEY } from './snapshot-tokens.js';
import type { SnapshotSigningKey } from './signing-key.js';

export type Check = 'ok' | 'missing' | 'hash-mismatch';

export interface SnapshotVerification {
  snapshotId: string;
  scopeId: string;
  sequence: number;
  verifiedAt: string;
  ok: boolean;
  /** What was checked: 100% of objects and items, or a seeded random share of them. */
  sample: { percent: number; seed: number | null; objects: { checked: number; total: number }; items: { checked: number; total: number } };
  manifest: { key: string; status: Check | 'not-canonical' | 'unreadable'; expectedSha256: string | null; actualSha256: string | null; detail?: string };
  signature: { key: string; status: 'ok' | 'invalid' | 'missing' | 'unknown-key'; publicKeyFingerprint: string; detail?: string };
  chain: { status: 'ok' | 'first' | 'pruned' | 'missing' | 'hash-mismatch'; previousSnapshotId: string | null; expectedSha256: string | null; actualSha256: string | null; detail: string };
  files: { name: string; key: string; status: Check; expectedSha256: string; actualSha256: string | null }[];
  objects: { sha256: string; key: string; status: Check | 'unavailable-at-sealing'; detail?: string }[];
  items: { checked: number; ok: number; problems: { itemId: string; externalId: string; versionId: string; status: 'missing' | 'hash-mismatch'; detail: string }[] };
  /** One line per failed check, naming the object, file, item or link: empty when ok. */
  problems: string[];
}

export interface VerifyOptions {
  /** Share of archive objects and catalog items to check, 0 < pct <= 100 (default 100). */
  samplePercent?: number;
  /** Seed of the sample; random (and reported) when omitted. */
  seed?: number;
  trigger: string;
}

const VERIFY_CONCURRENCY = 4;
const ITEM_BATCH = 1000;

/**
 * Re-checks a sealed snapshot against what is stored now: the manifest bytes (hash recorded at
 * sealing, canonical form), the Ed25519 signature, the link to the previous snapshot, every
 * sealed file, every referenced archive object (content SHA-256, and the stored bytes' digest)
 * and every catalog version (content hash recomputed from the document in the database).
 */
@Injectable()
export class SnapshotVerifierService {
  constructor(
    private readonly repository: SnapshotRepository,
    @Inject(ARCHIVE_STORE) private readonly archive: ArchiveStore,
    @Inject(SNAPSHOT_SIGNING_KEY) private readonly signingKey: SnapshotSigningKey,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async verify(snapshotId: string, options: VerifyOptions): Promise<SnapshotVerification> {
    const snapshot = await this.repository.findById(snapshotId);
    if (!snapshot) throw new NotFoundError('snapshot', snapshotId);
    if (snapshot.status !== 'sealed' || !snapshot.storagePrefix || !snapshot.manifestSha256) {
      throw new ConflictError('SNAPSHOT_NOT_SEALED', `snapshot ${snapshotId} is ${snapshot.status}; only sealed snapshots can be verified`, { status: snapshot.status });
    }
    const percent = options.samplePercent ?? 100;
    if (!(percent > 0 && percent <= 100)) throw new RangeError(`the sample must be a percentage in (0, 100], got ${percent}`);
    const seed = percent >= 100 ? null : (options.seed ?? randomInt(0, 2 ** 31));
    const startedAt = new Date();
    const prefix = snapshot.storagePrefix;

    const { check: manifestCheck, bytes: manifestBytes, manifest } = await this.checkManifest(snapshot, prefix + SNAPSHOT_FILES.manifest);
    const signature = await this.checkSignature(prefix + SNAPSHOT_FILES.signature, manifestBytes, manifest);
    const chain = await this.checkChain(snapshot, manifest);
    const files = await this.checkFiles(snapshot);

    const objectsToCheck = manifest ? seededSample(manifest.objects, percent, seed) : [];
    const itemsToCheck = manifest ? seededSample(manifest.items, percent, seed === null ? null : seed + 1) : [];
    const objects = await this.checkObjects(objectsToCheck);
    const items = await this.checkItems(itemsToCheck);

    const problems = [
      ...(manifestCheck.status === 'ok' ? [] : [`manifest ${manifestCheck.key}: ${manifestCheck.status}: ${manifestCheck.detail}`]),
      ...(signature.status === 'ok' ? [] : [`signature ${signature.key}: ${signature.status}: ${signature.detail}`]),
      ...(chain.status === 'ok' || chain.status === 'first' || chain.status === 'pruned' ? [] : [`chain: ${chain.status}: ${chain.detail}`]),
      ...files.filter((f) => f.status !== 'ok').map((f) => `file ${f.key}: ${f.status}${f.actualSha256 ? `: SHA-256 is ${f.actualSha256}, sealed as ${f.expectedSha256}` : ''}`),
      ...objects.filter((o) => o.status === 'missing' || o.status === 'hash-mismatch').map((o) => `object ${o.key}: ${o.status}${o.detail ? `: ${o.detail}` : ''}`),
      ...items.problems.map((p) => `item ${p.externalId} (${p.itemId}) version ${p.versionId}: ${p.status}: ${p.detail}`),
    ];
    const report: SnapshotVerification = {
      snapshotId: snapshot.id,
      scopeId: snapshot.scopeId,
      sequence: snapshot.seq,
      verifiedAt: startedAt.toISOString(),
      ok: problems.length === 0,
      sample: {
        percent,
        seed,
        objects: { checked: objects.length, total: manifest?.objects.length ?? 0 },
        items: { checked: items.checked, total: manifest?.items.length ?? 0 },
      },
      manifest: manifestCheck,
      signature,
      chain,
      files,
      objects,
      items,
      problems,
    };
    await this.repository.recordVerification({
      snapshotId: snapshot.id,
      trigger: options.trigger,
      startedAt,
      finishedAt: new Date(),
      ok: report.ok,
      sample: report.sample as unknown as Prisma.InputJsonValue,
      report: report as unknown as Prisma.InputJsonValue,
    });
    const log = { snapshotId: snapshot.id, scopeId: snapshot.scopeId, sample: report.sample, problems: problems.slice(0, 50) };
    if (report.ok) this.logger.info(log, 'snapshot verified');
    else this.logger.error(log, 'snapshot verification found problems');
    return report;
  }

  private async checkManifest(snapshot: SnapshotRecord, key: string): Promise<{ check: SnapshotVerification['manifest']; bytes: Buffer | null; manifest: SnapshotManifest | null }> {
    const expected = snapshot.manifestSha256!;
    const bytes = await this.readOrNull(key);
    if (!bytes) return { check: { key, status: 'missing', expectedSha256: expected, actualSha256: null, detail: 'not in the archive' }, bytes: null, manifest: null };
    const actual = sha256Hex(bytes);
    let manifest: SnapshotManifest | null = null;
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as SnapshotManifest;
    } catch (error) {
      return { check: { key, status: 'unreadable', expectedSha256: expected, actualSha256: actual, detail: `not JSON: ${(error as Error).message}` }, bytes, manifest: null };
    }
    if (actual !== expected) {
      return { check: { key, status: 'hash-mismatch', expectedSha256: expected, actualSha256: actual, detail: `SHA-256 is ${actual}, the snapshot was sealed with ${expected}` }, bytes, manifest };
    }
    if (canonicalJson(manifest as unknown as JsonValue) !== bytes.toString('utf8')) {
      return { check: { key, status: 'not-canonical', expectedSha256: expected, actualSha256: actual, detail: 'the bytes are not the canonical JSON of their content' }, bytes, manifest };
    }
    if (manifest.snapshotId !== snapshot.id || manifest.sequence !== snapshot.seq || manifest.scope?.id !== snapshot.scopeId) {
      return { check: { key, status: 'hash-mismatch', expectedSha256: expected, actualSha256: actual, detail: `the manifest describes snapshot ${manifest.snapshotId} #${manifest.sequence}, not this one` }, bytes, manifest };
    }
    return { check: { key, status: 'ok', expectedSha256: expected, actualSha256: actual }, bytes, manifest };
  }

  private async checkSignature(key: string, manifestBytes: Buffer | null, manifest: SnapshotManifest | null): Promise<SnapshotVerification['signature']> {
    const fingerprint = this.signingKey.fingerprint;
    const signature = await this.readOrNull(key);
    if (!signature) return { key, status: 'missing', publicKeyFingerprint: fingerprint, detail: 'not in the archive' };
    if (!manifestBytes) return { key, status: 'invalid', publicKeyFingerprint: fingerprint, detail: 'there is no manifest to check it against' };
    const signedBy = manifest?.signing?.publicKeyFingerprint;
    const valid = verifySignature(null, manifestBytes, this.signingKey.publicKey, signature);
    if (valid) return { key, status: 'ok', publicKeyFingerprint: fingerprint };
    if (signedBy && signedBy !== fingerprint) {
      return { key, status: 'unknown-key', publicKeyFingerprint: fingerprint, detail: `the manifest says it was signed by ${signedBy}; the loaded key is ${fingerprint}` };
    }
    return { key, status: 'invalid', publicKeyFingerprint: fingerprint, detail: `the Ed25519 signature does not match the manifest's bytes under key ${fingerprint}` };
  }

  private async checkChain(snapshot: SnapshotRecord, manifest: SnapshotManifest | null): Promise<SnapshotVerification['chain']> {
    const link = manifest
      ? manifest.previous
      : snapshot.previousId && snapshot.previousManifestSha256
        ? { snapshotId: snapshot.previousId, manifestSha256: snapshot.previousManifestSha256, sequence: snapshot.seq - 1 }
        : null;
    if (!link) {
      const earlier = (await this.repository.list({ scopeId: snapshot.scopeId, status: ['sealed', 'pruned'], limit: 1, before: snapshot.createdAt }))[0];
      if (earlier) {
        return { status: 'missing', previousSnapshotId: earlier.id, expectedSha256: earlier.manifestSha256, actualSha256: null, detail: `the manifest names no previous snapshot, but ${earlier.id} (#${earlier.seq}) precedes it in scope ${snapshot.scopeId}` };
      }
      return { status: 'first', previousSnapshotId: null, expectedSha256: null, actualSha256: null, detail: `first snapshot of scope ${snapshot.scopeId}` };
    }
    const previous = await this.repository.findById(link.snapshotId);
    const at = `previous snapshot ${link.snapshotId} (#${link.sequence})`;
    if (!previous) return { status: 'missing', previousSnapshotId: link.snapshotId, expectedSha256: link.manifestSha256, actualSha256: null, detail: `${at} is not in the database` };
    if (previous.manifestSha256 !== link.manifestSha256) {
      return { status: 'hash-mismatch', previousSnapshotId: previous.id, expectedSha256: link.manifestSha256, actualSha256: previous.manifestSha256, detail: `${at} was sealed with manifest ${previous.manifestSha256}, this snapshot links to ${link.manifestSha256}` };
    }
    if (previous.status === 'pruned') {
      return { status: 'pruned', previousSnapshotId: previous.id, expectedSha256: link.manifestSha256, actualSha256: previous.manifestSha256, detail: `${at} was pruned by retention at ${previous.prunedAt?.toISOString()}; its recorded manifest hash matches the link` };
    }
    const key = previous.storagePrefix + SNAPSHOT_FILES.manifest;
    const bytes = await this.readOrNull(key);
    if (!bytes) return { status: 'missing', previousSnapshotId: previous.id, expectedSha256: link.manifestSha256, actualSha256: null, detail: `${at}: its manifest ${key} is not in the archive` };
    const actual = sha256Hex(bytes);
    if (actual !== link.manifestSha256) {
      return { status: 'hash-mismatch', previousSnapshotId: previous.id, expectedSha256: link.manifestSha256, actualSha256: actual, detail: `${at}: its manifest ${key} hashes to ${actual}, this snapshot links to ${link.manifestSha256}` };
    }
    return { status: 'ok', previousSnapshotId: previous.id, expectedSha256: link.manifestSha256, actualSha256: actual, detail: `links to ${at}` };
  }

  private async checkFiles(snapshot: SnapshotRecord): Promise<SnapshotVerification['files']> {
    const sealed = (snapshot.files ?? {}) as Record<string, string>;
    // The manifest and its signature have checks of their own.
    const names = Object.keys(sealed).filter((name) => name !== SNAPSHOT_FILES.manifest && name !== SNAPSHOT_FILES.signature).sort();
    return Promise.all(
      names.map(async (name) => {
        const key = snapshot.storagePrefix + name;
        const bytes = await this.readOrNull(key);
        const actual = bytes ? sha256Hex(bytes) : null;
        const status: Check = !bytes ? 'missing' : actual === sealed[name] ? 'ok' : 'hash-mismatch';
        return { name, key, status, expectedSha256: sealed[name]!, actualSha256: actual };
      }),
    );
  }

  private async checkObjects(objects: ManifestObject[]): Promise<SnapshotVerification['objects']> {
    const limit = pLimit(VERIFY_CONCURRENCY);
    return Promise.all(
      objects.map((object) =>
        limit(async (): Promise<SnapshotVerification['objects'][number]> => {
          const base = { sha256: object.sha256, key: object.key };
          if (object.status !== 'ok') return { ...base, status: 'unavailable-at-sealing', detail: `recorded as ${object.status} when the snapshot was sealed` };
          try {
            const inspection = await this.archive.inspect(object.sha256);
            if (!inspection.content.ok) {
              const detail = inspection.content.problem ?? `content SHA-256 is ${inspection.content.actualSha256}, expected ${object.sha256}`;
              return { ...base, status: 'hash-mismatch', detail };
            }
            if (object.stored && inspection.stored.sha256 !== object.stored.sha256) {
              return { ...base, status: 'hash-mismatch', detail: `the stored bytes hash to ${inspection.stored.sha256}, sealed as ${object.stored.sha256}` };
            }
            return { ...base, status: 'ok' };
          } catch (error) {
            if (error instanceof ArchiveObjectMissingError) return { ...base, status: 'missing', detail: 'not in the archive' };
            throw error;
          }
        }),
      ),
    );
  }

  /** In batches: only one batch of documents is in memory at a time, whatever the catalog's size. */
  private async checkItems(items: ManifestItem[]): Promise<SnapshotVerification['items']> {
    const problems: SnapshotVerification['items']['problems'] = [];
    for (let start = 0; start < items.length; start += ITEM_BATCH) {
      problems.push(...(await this.checkItemBatch(items.slice(start, start + ITEM_BATCH))));
    }
    return { checked: items.length, ok: items.length - problems.length, problems };
  }

  private async checkItemBatch(items: ManifestItem[]): Promise<SnapshotVerification['items']['problems']> {
    const versions = new Map((await this.repository.versions(items.map((i) => i.versionId))).map((v) => [v.id, v]));
    const problems: SnapshotVerification['items']['problems'] = [];
    for (const item of items) {
      const at = { itemId: item.id, externalId: item.externalId, versionId: item.versionId };
      const version = versions.get(item.versionId);
      if (!version) {
        problems.push({ ...at, status: 'missing', detail: 'the version is not in the database' });
        continue;
      }
      const recomputed = contentHash(version.document as JsonValue);
      if (recomputed !== item.contentHash) {
        problems.push({ ...at, status: 'hash-mismatch', detail: `the document in the database hashes to ${recomputed}, the manifest says ${item.contentHash}` });
      } else if (version.contentHash !== item.contentHash || version.itemId !== item.id || version.seq !== item.seq || version.artifactSha256 !== item.artifactSha256) {
        problems.push({ ...at, status: 'hash-mismatch', detail: 'the version row (content_hash, item, seq or artifact) differs from the manifest' });
      }
    }
    return problems;
  }

  private async readOrNull(key: string): Promise<Buffer | null> {
    try {
      return await this.archive.readSealed(key);
    } catch (error) {
      if (error instanceof ArchiveObjectMissingError) return null;
      throw error;
    }
  }
}
