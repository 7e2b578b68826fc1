import { execFile } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENCRYPTED_FORMAT_V1, type ArchiveStore } from '#archive';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { ARCHIVE_STORE } from '../apps/apivault/src/core/tokens.js';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { SnapshotExportService } from '../apps/apivault/src/snapshots/snapshot-export.service.js';
import type { SnapshotManifest } from '../apps/apivault/src/snapshots/snapshot-manifest.js';
import type { SnapshotVerification } from '../apps/apivault/src/snapshots/snapshot-verifier.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { authHeaders, getJson, postJson, requestJson, startTestApp, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const SCRIPT = path.resolve('scripts/verify-snapshot.mjs');

/** Changes a file the archive made read-only, and gives back a function that restores it. */
async function tamper(file: string, change: (bytes: Buffer) => Buffer): Promise<() => Promise<void>> {
  const original = await readFile(file);
  await chmod(file, 0o644);
  await writeFile(file, change(Buffer.from(original)));
  return async () => {
    await writeFile(file, original);
    await chmod(file, 0o444);
  };
}

describe.each(testDatabaseTargets)('compliance snapshots over a DLF backup ($name)', (target) => {
  let sim: VendorSim;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let archive: ArchiveStore;
  const archivePath = (key: string) => path.join(t.dataDir, 'archive', ...key.split('/'));

  async function backup(): Promise<any> {
    const sourceId = (await t.app.get(SourcesService).get('dlf')).id;
    const started = await postJson(`${t.url}/api/v1/sources/${sourceId}/runs`);
    for (let i = 0; i < 600; i++) {
      const r = await getJson(`${t.url}/api/v1/runs/${started.body.id}`);
      if (r.body.status !== 'running' && r.body.status !== 'queued') return r.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('run did not finish');
  }

  async function snapshot(body: unknown = {}): Promise<any> {
    const response = await postJson(`${t.url}/api/v1/snapshots`, body);
    expect(response.status).toBe(201);
    return response.body;
  }

  async function verifySnapshot(id: string, body: unknown = {}): Promise<SnapshotVerification> {
    const response = await postJson<SnapshotVerification>(`${t.url}/api/v1/snapshots/${id}/verify`, body);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function manifestOf(snapshotView: any): Promise<SnapshotManifest> {
    return JSON.parse((await archive.readSealed(snapshotView.files['manifest.json'].key)).toString('utf8'));
  }

  let first: any;
  let second: any;
  let third: any;
  let firstRun: any;

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 21, clock: new Date('2026-03-01T08:00:00Z') });
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config });
    archive = t.app.get<ArchiveStore>(ARCHIVE_STORE);
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-aksk', ...sim.credentials, token: undefined });
    await t.app.get(SourcesService).upsert({ name: 'dlf', kind: 'huawei.dataarts.dlf.connections', config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credentialName: 'sim' });
    firstRun = await backup();
    expect(firstRun.status).toBe('succeeded');
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await dropDb?.();
  });

  it('takes a signed snapshot of every item, with its version hash, source artifact, last run and coverage', async () => {
    first = await snapshot();
    expect(first).toMatchObject({ scopeId: 'all', seq: 1, status: 'sealed', trigger: 'api', previousId: null, items: sim.dlf.list().length, objects: 1 });
    expect(Object.keys(first.files).sort()).toEqual(['evidence.html', 'evidence.json', 'manifest.json', 'manifest.sig', 'public-key.pem']);
    for (const file of Object.values<any>(first.files)) expect(file.key).toMatch(/^snapshots\/all\/\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{16}\//);

    const manifest = await manifestOf(first);
    const items = (await getJson(`${t.url}/api/v1/catalog/items?limit=500`)).body.items;
    expect(manifest.items.map((i) => i.externalId).sort()).toEqual(sim.dlf.list().map((c) => c.name).sort());
    for (const item of manifest.items) {
      const detail = (await getJson(`${t.url}/api/v1/catalog/items/${item.id}`)).body;
      const current = detail.versions[detail.versions.length - 1];
      expect(item).toMatchObject({ kind: 'connection', versionId: current.id, seq: current.seq, contentHash: current.contentHash, artifactSha256: firstRun.artifacts[0].sha256 });
    }
    expect(items).toHaveLength(manifest.items.length);
    expect(manifest.objects).toEqual([
      {
        sha256: firstRun.artifacts[0].sha256,
        size: firstRun.artifacts[0].size,
        key: firstRun.artifacts[0].storageKey,
        status: 'ok',
        stored: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number), encryption: ENCRYPTED_FORMAT_V1 },
      },
    ]);
    expect(manifest.sources).toEqual([
      expect.objectContaining({
        name: 'dlf',
        items: manifest.items.length,
        lastRun: expect.objectContaining({ id: firstRun.id, status: 'succeeded', artifacts: [firstRun.artifacts[0].sha256] }),
        coverage: [expect.objectContaining({ held: manifest.items.length, failure: null })],
      }),
    ]);
    expect(manifest.archive.objectLock).toEqual({ enabled: false, reason: expect.stringContaining('filesystem archive has no Object Lock') });
    expect(manifest.previous).toBeNull();

    // Canonical bytes, signed with the key the API publishes.
    const bytes = await archive.readSealed(first.files['manifest.json'].key);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.manifestSha256);
    // Public: an auditor needs no token to fetch the key that checks every signature.
    const pem = await fetch(`${t.url}/api/v1/snapshots/public-key`);
    expect(pem.headers.get('content-type')).toContain('application/x-pem-file');
    const key = createPublicKey(await pem.text());
    expect(verify(null, bytes, key, await archive.readSealed(first.files['manifest.sig'].key))).toBe(true);
    expect(pem.headers.get('x-public-key-fingerprint')).toBe(first.publicKeyFingerprint);
  });

  it('chains each snapshot to the previous one of its scope; a scope of its own starts its own chain', async () => {
    second = await snapshot();
    third = await snapshot();
    expect(second).toMatchObject({ seq: 2, previousId: first.id, previousManifestSha256: first.manifestSha256 });
    expect((await manifestOf(third)).previous).toEqual({ snapshotId: second.id, sequence: 2, manifestSha256: second.manifestSha256, createdAt: second.createdAt });

    const scoped = await snapshot({ scope: { sourceIds: ['dlf'] } });
    expect(scoped).toMatchObject({ scopeId: expect.stringMatching(/^sources-[0-9a-f]{16}$/), seq: 1, previousId: null });
    const list = (await getJson(`${t.url}/api/v1/snapshots?scope=all`)).body.items;
    expect(list.map((s: any) => s.id)).toEqual([third.id, second.id, first.id]);
  });

  it('verifies untouched snapshots clean', async () => {
    for (const s of [first, second, third]) {
      const report = await verifySnapshot(s.id);
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, manifest: { status: 'ok' }, signature: { status: 'ok' }, sample: { percent: 100, seed: null } });
      expect(report.objects).toEqual([{ sha256: firstRun.artifacts[0].sha256, key: firstRun.artifacts[0].storageKey, status: 'ok' }]);
      expect(report.items).toEqual({ checked: sim.dlf.list().length, ok: sim.dlf.list().length, problems: [] });
      expect(report.files.map((f) => [f.name, f.status])).toEqual([['evidence.html', 'ok'], ['evidence.json', 'ok'], ['public-key.pem', 'ok']]);
    }
    expect((await verifySnapshot(first.id)).chain.status).toBe('first');
    expect((await verifySnapshot(third.id)).chain).toMatchObject({ status: 'ok', previousSnapshotId: second.id });
    expect((await getJson(`${t.url}/api/v1/snapshots/${third.id}`)).body.lastVerification).toMatchObject({ ok: true, trigger: 'api' });
  });

  it('names the archived object whose bytes were altered', async () => {
    const key = firstRun.artifacts[0].storageKey;
    const restore = await tamper(archivePath(key), (bytes) => {
      bytes[bytes.length - 100] ^= 0x01;
      return bytes;
    });
    try {
      const report = await verifySnapshot(second.id);
      expect(report.ok).toBe(false);
      expect(report.objects).toEqual([{ sha256: firstRun.artifacts[0].sha256, key, status: 'hash-mismatch', detail: expect.stringMatching(/^decryption failed: chunk \d+ of the encrypted object failed authentication/) }]);
      expect(report.problems).toEqual([`object ${key}: hash-mismatch: ${report.objects[0]!.detail}`]);
      expect(report).toMatchObject({ manifest: { status: 'ok' }, signature: { status: 'ok' }, chain: { status: 'ok' } });
    } finally {
      await restore();
    }
    const missing = await tamper(archivePath(key), (bytes) => bytes);
    await unlink(archivePath(key));
    try {
      expect((await verifySnapshot(second.id)).problems).toEqual([`object ${key}: missing: not in the archive`]);
    } finally {
      await missing();
    }
    expect((await verifySnapshot(second.id)).ok).toBe(true);
  });

  it('names a manifest with one byte changed, and the chain link of the snapshot after it', async () => {
    const manifestKey = first.files['manifest.json'].key;
    const original = await readFile(archivePath(manifestKey), 'utf8');
    const item = (await manifestOf(first)).items[0]!;
    const flipped = item.contentHash[0] === 'a' ? 'b' : 'a';
    const restore = await tamper(archivePath(manifestKey), () => Buffer.from(original.replace(item.contentHash, flipped + item.contentHash.slice(1))));
    try {
      const report = await verifySnapshot(first.id);
      expect(report.ok).toBe(false);
      expect(report.manifest).toMatchObject({ key: manifestKey, status: 'hash-mismatch', expectedSha256: first.manifestSha256 });
      expect(report.signature.status).toBe('invalid');
      expect(report.problems).toEqual([
        `manifest ${manifestKey}: hash-mismatch: SHA-256 is ${report.manifest.actualSha256}, the snapshot was sealed with ${first.manifestSha256}`,
        `signature ${first.files['manifest.sig'].key}: invalid: the Ed25519 signature does not match the manifest's bytes under key ${first.publicKeyFingerprint}`,
        `item ${item.externalId} (${item.id}) version ${item.versionId}: hash-mismatch: the document in the database hashes to ${item.contentHash}, the manifest says ${flipped}${item.contentHash.slice(1)}`,
      ]);
      const next = await verifySnapshot(second.id);
      expect(next.problems).toEqual([
        `chain: hash-mismatch: previous snapshot ${first.id} (#1): its manifest ${manifestKey} hashes to ${report.manifest.actualSha256}, this snapshot links to ${first.manifestSha256}`,
      ]);
    } finally {
      await restore();
    }
  });

  it('names a removed chain link', async () => {
    const manifestKey = second.files['manifest.json'].key;
    const restore = await tamper(archivePath(manifestKey), (bytes) => bytes);
    await unlink(archivePath(manifestKey));
    try {
      expect((await verifySnapshot(third.id)).problems).toEqual([`chain: missing: previous snapshot ${second.id} (#2): its manifest ${manifestKey} is not in the archive`]);
      expect((await verifySnapshot(second.id)).problems).toEqual([
        `manifest ${manifestKey}: missing: not in the archive`,
        `signature ${second.files['manifest.sig'].key}: invalid: there is no manifest to check it against`,
      ]);
      expect((await verifySnapshot(first.id)).ok).toBe(true);
    } finally {
      await restore();
    }
    expect((await verifySnapshot(third.id)).ok).toBe(true);
  });

  it('names a catalog version whose document changed in the database', async () => {
    const item = (await manifestOf(third)).items[1]!;
    const prisma = t.db.prisma;
    const version = await prisma.catalogVersion.findUniqueOrThrow({ where: { id: item.versionId } });
    await prisma.catalogVersion.update({ where: { id: item.versionId }, data: { document: { ...(version.document as object), description: 'quietly edited' } } });
    try {
      const report = await verifySnapshot(third.id);
      expect(report.items.problems).toEqual([
        { itemId: item.id, externalId: item.externalId, versionId: item.versionId, status: 'hash-mismatch', detail: expect.stringContaining(`the manifest says ${item.contentHash}`) },
      ]);
      expect(report.problems).toHaveLength(1);
    } finally {
      await prisma.catalogVersion.update({ where: { id: item.versionId }, data: { document: version.document as object } });
    }
  });

  it('verifies a seeded random sample and reports it', async () => {
    const total = sim.dlf.list().length;
    const report = await verifySnapshot(third.id, { samplePercent: 25, seed: 99 });
    expect(report.ok).toBe(true);
    expect(report.sample).toEqual({ percent: 25, seed: 99, objects: { checked: 1, total: 1 }, items: { checked: Math.ceil(total / 4), total } });
    const again = await verifySnapshot(third.id, { samplePercent: 25 });
    expect(again.sample.seed).toEqual(expect.any(Number));
  });

  it('writes an evidence report (JSON and HTML) that says how to verify independently', async () => {
    const evidence = JSON.parse((await archive.readSealed(third.files['evidence.json'].key)).toString('utf8'));
    expect(evidence).toMatchObject({
      format: 'apivault.snapshot.evidence/v1',
      snapshot: { id: third.id, scopeId: 'all', sequence: 3 },
      manifest: { sha256: third.manifestSha256, key: third.files['manifest.json'].key },
      signature: { algorithm: 'Ed25519', publicKeyFingerprint: third.publicKeyFingerprint },
      chain: { previousSnapshotId: second.id, previousManifestSha256: second.manifestSha256 },
      counts: { sources: 1, items: sim.dlf.list().length, objects: 1, unavailableObjects: 0 },
      failures: [],
      objectLock: { enabled: false },
    });
    expect(evidence.sources[0]).toMatchObject({ name: 'dlf', lastRun: { status: 'succeeded' } });
    expect(evidence.howToVerify.commands[0]).toBe('openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig');
    const html = await fetch(`${t.url}/api/v1/snapshots/${third.id}/files/evidence.html`, { headers: authHeaders(t.url) });
    expect(html.headers.get('content-type')).toContain('text/html');
    const page = await html.text();
    expect(page).toContain(third.id);
    expect(page).toContain(third.manifestSha256);
    expect(page).toContain('openssl pkeyutl -verify');
  });

  it('verifies with the standalone script and with openssl, from the exported files and the public key only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'apivault-export-'));
    try {
      const exported = await t.app.get(SnapshotExportService).export(third.id, dir, { objects: true });
      expect(exported).toMatchObject({ files: ['manifest.json', 'manifest.sig', 'public-key.pem', 'evidence.json', 'evidence.html'], objects: { written: 1, missing: [] } });
      const ok = await run('node', [SCRIPT, dir, '--fingerprint', third.publicKeyFingerprint]);
      expect(ok.stdout).toContain('OK   signature');
      expect(ok.stdout).toContain(`OK   object ${firstRun.artifacts[0].storageKey}`);
      expect(ok.stdout.trim().endsWith('verified')).toBe(true);

      const openssl = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: dir });
      expect(openssl.stdout).toContain('Signature Verified Successfully');

      const previous = path.join(dir, 'previous.json');
      await writeFile(previous, await archive.readSealed(second.files['manifest.json'].key));
      expect((await run('node', [SCRIPT, dir, '--previous-manifest', previous])).stdout).toContain('OK   chain link');

      const objectFile = path.join(dir, 'objects', ...firstRun.artifacts[0].storageKey.split('/'));
      const bytes = await readFile(objectFile);
      bytes[200] ^= 0x01;
      await writeFile(objectFile, bytes);
      const bad = await run('node', [SCRIPT, dir]).catch((error: any) => error);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`FAIL object ${firstRun.artifacts[0].storageKey}: hash-mismatch`);

      const manifestFile = path.join(dir, 'manifest.json');
      await writeFile(manifestFile, (await readFile(manifestFile, 'utf8')).replace('"trigger":"api"', '"trigger":"cli"'));
      const forged = await run('node', [SCRIPT, '--manifest', manifestFile, '--signature', path.join(dir, 'manifest.sig'), '--public-key', path.join(dir, 'public-key.pem')]).catch((error: any) => error);
      expect(forged.code).toBe(1);
      expect(forged.stdout).toContain('FAIL signature');
      const opensslForged = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.sig'], { cwd: dir }).catch((error: any) => error);
      expect(opensslForged.code).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prunes by retention: dry run first, then deletes the sealed files outside the policy; the chain stays checkable', async () => {
    const policy = { keepLast: 1, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0, minAgeHours: 0 };
    const set = await requestJson('PUT', `${t.url}/api/v1/snapshots/scopes/all/retention`, policy);
    expect(set.status).toBe(200);
    expect(set.body.policy).toEqual(policy);
    const viewer = await t.createToken('viewer');
    expect((await postJson(`${t.url}/api/v1/snapshots/prune`, undefined, { token: viewer })).status).toBe(403);

    const dry = await postJson(`${t.url}/api/v1/snapshots/prune`);
    expect(dry.status).toBe(200);
    const scope = dry.body.scopes.find((s: any) => s.scopeId === 'all');
    expect(scope.keep.map((k: any) => [k.id, k.reasons])).toEqual([[third.id, ['last']]]);
    expect(scope.prune.map((p: any) => p.id)).toEqual([second.id, first.id]);
    expect(await archive.exists(first.files['manifest.json'].key)).toBe(true);

    const applied = await postJson(`${t.url}/api/v1/snapshots/prune?dryRun=false`);
    expect(applied.body.dryRun).toBe(false);
    for (const s of [first, second]) {
      for (const file of Object.values<any>(s.files)) expect(await archive.exists(file.key)).toBe(false);
      expect((await getJson(`${t.url}/api/v1/snapshots/${s.id}`)).body).toMatchObject({ status: 'pruned', prunedAt: expect.any(String) });
    }
    const deletedKeys = [...Object.values<any>(first.files), ...Object.values<any>(second.files)].map((f) => f.key).sort();
    const deletions = t.logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'snapshot.file.deleted');
    expect(deletions.map((l) => l.key).sort()).toEqual(deletedKeys);
    // Every deletion is an audit event of its own, in the name of the token that asked.
    const audited = await t.db.prisma.auditEvent.findMany({ where: { route: 'snapshots.prune' } });
    expect(audited.map((e) => e.path).sort()).toEqual(deletedKeys);
    expect(audited.every((e) => e.actor === 'test-admin' && e.method === 'DELETE')).toBe(true);
    // The raw export is still referenced by the catalog versions: never collected.
    expect(applied.body.garbage.objects).toEqual([]);
    expect(await archive.has(firstRun.artifacts[0].sha256)).toBe(true);

    const report = await verifySnapshot(third.id);
    expect(report.ok).toBe(true);
    expect(report.chain).toMatchObject({ status: 'pruned', previousSnapshotId: second.id });
    expect((await postJson(`${t.url}/api/v1/snapshots/${first.id}/verify`)).status).toBe(409);
  });
});
