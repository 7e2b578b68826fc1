import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { digestStream, isEncryptedObjectHead, type ArchiveStore } from '#archive';
import { signHuaweiRequest } from '#cloud-auth';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { S3rverHarness } from '../libs/archive/test/s3rver-harness.js';
import { ARCHIVE_STORE } from '../apps/apivault/src/core/tokens.js';
import { CredentialsService } from '../apps/apivault/src/credentials/credentials.service.js';
import { BackupService } from '../apps/apivault/src/runs/backup.service.js';
import { RunsService } from '../apps/apivault/src/runs/runs.service.js';
import { SourcesService } from '../apps/apivault/src/sources/sources.service.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const BUCKET = 'apivault-e2e';

describe.each(testDatabaseTargets)('DLF backup into an S3 archive (s3rver) on $name', (target) => {
  let sim: VendorSim;
  let s3: S3rverHarness;
  let t: TestApp;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    // A pinned export time: by default each export carries its own time (as the vendor's do), so
    // its bytes change at every run. Pinned, the second run sees the same bytes, which is what the
    // "no new archive object" assertion tests (apivault's dedup by content hash).
    sim = await startVendorSim({ port: 0, seed: 3, clock: new Date('2026-03-01T08:00:00Z') });
    s3 = await S3rverHarness.start();
    await s3.createBucket(BUCKET);
    const database = await target.create();
    dropDb = database.drop;
    t = await startTestApp({ database: database.config, archive: { type: 's3', ...s3.options(BUCKET, { prefix: 'backups' }) } });
    await t.app.get(CredentialsService).upsert('sim', { type: 'huawei-token', token: sim.credentials.token });
    await t.app.get(SourcesService).upsert({ name: 'dlf', kind: 'huawei.dataarts.dlf.connections', config: { endpoint: sim.baseUrl, projectId: sim.projectId }, credentialName: 'sim' });
  });

  afterAll(async () => {
    await t?.close();
    await s3?.stop();
    await sim?.close();
    await dropDb?.();
  });

  async function bucketKeys(): Promise<string[]> {
    const client = s3.client();
    try {
      const listing = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (listing.Contents ?? []).map((o) => o.Key!).filter((k) => !k.includes('/.apivault/'));
    } finally {
      client.destroy();
    }
  }

  it('stores the vendor bytes encrypted under their content-addressed key, once', async () => {
    const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/export`;
    const response = await fetch(url, { method: 'POST', headers: signHuaweiRequest({ method: 'POST', url, headers: {}, body: '' }, sim.credentials) });
    const vendorSha = createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex');

    const backups = t.app.get(BackupService);
    const run = await backups.runToCompletion('dlf', 'test');
    expect(run.status).toBe('succeeded');
    const detail = await t.app.get(RunsService).get(run.id);
    const key = `backups/sha256/${vendorSha.slice(0, 2)}/${vendorSha.slice(2, 4)}/${vendorSha}`;
    expect(detail.artifacts[0]).toMatchObject({ sha256: vendorSha });
    expect(await bucketKeys()).toEqual([key]);

    // Encrypted at rest: the bucket holds ciphertext under the plaintext's key; the archive
    // decrypts it back to the exact vendor bytes.
    const client = s3.client();
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      const stored = Buffer.from(await object.Body!.transformToByteArray());
      expect(isEncryptedObjectHead(stored)).toBe(true);
      expect(createHash('sha256').update(stored).digest('hex')).not.toBe(vendorSha);
    } finally {
      client.destroy();
    }
    expect((await digestStream(await t.app.get<ArchiveStore>(ARCHIVE_STORE).open(vendorSha))).sha256).toBe(vendorSha);

    const again = await backups.runToCompletion('dlf', 'test');
    expect(again.stats).toMatchObject({ artifactsNew: 0, versionsWritten: 0 });
    expect(await bucketKeys()).toEqual([key]);
  });
});
