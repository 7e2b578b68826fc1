import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type ArchiveStore } from '#archive';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { S3rverHarness } from '../libs/archive/test/s3rver-harness.js';
import { ARCHIVE_STORE } from '../apps/apivault/src/core/tokens.js';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { BackupService } from '../apps/apivault/src/runs/backup.service.js';
import { RunsService } from '../apps/apivault/src/runs/runs.service.js';
import { SnapshotPrunerService } from '../apps/apivault/src/snapshots/snapshot-pruner.service.js';
import { SnapshotRetentionService } from '../apps/apivault/src/snapshots/snapshot-retention.service.js';
import { SnapshotVerifierService } from '../apps/apivault/src/snapshots/snapshot-verifier.service.js';
import { SnapshotService } from '../apps/apivault/src/snapshots/snapshot.service.js';
import type { SnapshotView } from '../apps/apivault/src/snapshots/snapshot-view.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BUCKET = 'apivault-snapshots';
const PREFIX = 'vault';
const DAY = 86_400_000;

/**
 * On an S3-compatible server: sealed snapshot files are written once and never rewritten or
 * deleted by anything but retention, and a store without Object Lock is recorded as such.
 */
describe.each(testDatabaseTargets)('compliance snapshots on s3rver ($name)', (target) => {
  let sim: VendorSim;
  let s3: S3rverHarness;
  let t: TestApp;
  let dropDb: () => Promise<void>;
  let exportAt = new Date('2026-03-01T08:00:00Z');

  const sealedKeys = (s: SnapshotView) => Object.values(s.files).map((f) => `${PREFIX}/${f.key}`).sort();
  const writesTo = (key: string, operation: string) => s3.writes.filter((w) => w.key === key && w.operation === operation).length;

  beforeAll(async () => {
    // Each export carries its time, so a step of the clock gives new bytes with the same content.
    sim = await startVendorSim({ port: 0, seed: 5, clock: () => exportAt });
    s3 = await S3rverHarness.start();
    await s3.createBucket(BUCKET);
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config, archive: { type: 's3', ...s3.options(BUCKET, { prefix: PREFIX }) } });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-token', token: sim.credentials.token });
    await t.app.get(SourcesService).upsert({ name: 'dlf', kind: 'huawei.dataarts.dlf.connections', config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credentialName: 'sim' });
  });

  afterAll(async () => {
    await t?.close();
    await s3?.stop();
    await sim?.close();
    await dropDb?.();
  });

  async function backup(): Promise<{ id: string; sha256: string }> {
    const run = await t.app.get(BackupService).runToCompletion('dlf', 'test');
    expect(run.status).toBe('succeeded');
    const detail = await t.app.get(RunsService).get(run.id);
    return { id: run.id, sha256: detail.artifacts[0]!.sha256 };
  }

  it('never overwrites or deletes a sealed key, records that Object Lock is unavailable, and prunes only outside the policy', async () => {
    const snapshots = t.app.get(SnapshotService);
    const verifier = t.app.get(SnapshotVerifierService);
    const runA = await backup();
    const s1 = await snapshots.create({ trigger: 'test' });
    exportAt = new Date(exportAt.getTime() + DAY);
    const runB = await backup();
    const s2 = await snapshots.create({ trigger: 'test' });
    exportAt = new Date(exportAt.getTime() + DAY);
    const runC = await backup();
    const s3view = await snapshots.create({ trigger: 'test' });
    expect(new Set([runA.sha256, runB.sha256, runC.sha256]).size).toBe(3);

    const archive = t.app.get<ArchiveStore>(ARCHIVE_STORE);
    const manifest = JSON.parse((await archive.readSealed(s1.files['manifest.json']!.key)).toString('utf8'));
    expect(manifest.archive.objectLock).toEqual({ enabled: false, reason: expect.stringMatching(/^the store does not implement S3 Object Lock \(GetObjectLockConfiguration answered NotImplemented \(HTTP 501\)/) });
    expect(s1.objectLock).toEqual(manifest.archive.objectLock);
    expect(s1.retainUntil).toBeNull();

    for (const s of [s1, s2, s3view]) expect((await verifier.verify(s.id, { trigger: 'test' })).problems).toEqual([]);
    await t.app.get(SnapshotPrunerService).prune({ dryRun: true });

    // Every sealed key was PUT exactly once, and nothing was deleted: not by later snapshots,
    // verifications or a dry-run prune.
    const everySealed = [s1, s2, s3view].flatMap(sealedKeys);
    expect(everySealed).toHaveLength(15);
    for (const key of everySealed) expect([key, writesTo(key, 'ObjectCreated:Put')]).toEqual([key, 1]);
    expect(s3.writes.filter((w) => w.operation.startsWith('ObjectRemoved'))).toEqual([]);
    expect(s3.writes.filter((w) => w.operation !== 'ObjectCreated:Put')).toEqual([]);

    // Raw exports are encrypted before they reach the bucket; the archive gives the plaintext back.
    const client = s3.client();
    try {
      const stored = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${manifest.objects[0].key}` }))).Body!.transformToByteArray());
      expect(stored.subarray(0, 2).toString('latin1')).not.toBe('PK');
    } finally {
      client.destroy();
    }

    // Retention: keep only the newest; two days later the older snapshots go, and so does the
    // export of run B (referenced only by the pruned s2 and by a run that is neither the latest
    // nor recent). A (behind every catalog version) and C (s3 and the latest run) stay.
    await t.app.get(SnapshotRetentionService).set('all', { keepLast: 1, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0, minAgeHours: 0 });
    const before = s3.writes.length;
    const result = await t.app.get(SnapshotPrunerService).prune({ dryRun: false, now: new Date(Date.now() + 3 * DAY) });
    expect(result.scopes[0]!.prune.map((p) => p.id)).toEqual([s2.id, s1.id]);
    expect(result.garbage.objects.map((o) => o.sha256)).toEqual([runB.sha256]);
    const removed = s3.writes.slice(before).filter((w) => w.operation === 'ObjectRemoved:Delete').map((w) => w.key).sort();
    const bKey = `${PREFIX}/sha256/${runB.sha256.slice(0, 2)}/${runB.sha256.slice(2, 4)}/${runB.sha256}`;
    expect(removed).toEqual([...sealedKeys(s1), ...sealedKeys(s2), bKey].sort());
    expect(s3.writes.slice(before).filter((w) => w.operation !== 'ObjectRemoved:Delete')).toEqual([]);
    for (const key of sealedKeys(s3view)) expect(writesTo(key, 'ObjectRemoved:Delete')).toBe(0);
    expect(await archive.has(runA.sha256)).toBe(true);
    expect(await archive.has(runC.sha256)).toBe(true);
    expect(await t.db.prisma.artifact.findUnique({ where: { sha256: runB.sha256 } })).toBeNull();

    const after = await verifier.verify(s3view.id, { trigger: 'test' });
    expect(after.problems).toEqual([]);
    expect(after.chain.status).toBe('pruned');
  });
});
