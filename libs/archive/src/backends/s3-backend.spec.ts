import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Of, streamOf } from '../../test/fixtures.js';
import { S3rverHarness } from '../../test/s3rver-harness.js';
import { ArchiveStore } from '../archive-store.js';
import { contentKey } from '../content-key.js';
import { ArchiveIntegrityError, ArchiveUnavailableError } from '../errors.js';
import { S3Backend, type S3BackendOptions } from './s3-backend.js';

const bucket = 'apivault-s3-backend';
let s3rver: S3rverHarness;
let workDir: string;
const opened: S3Backend[] = [];

beforeAll(async () => {
  s3rver = await S3rverHarness.start();
  await s3rver.createBucket(bucket);
  workDir = await mkdtemp(join(tmpdir(), 'apivault-s3-backend-'));
});
afterAll(async () => {
  await Promise.all(opened.map((backend) => backend.close()));
  await rm(workDir, { recursive: true, force: true });
  await s3rver?.stop();
});

function backend(extra: Partial<S3BackendOptions> = {}): { backend: S3Backend; prefix: string } {
  const prefix = `t-${randomUUID()}`;
  const created = new S3Backend(s3rver.options(bucket, { prefix, ...extra }));
  opened.push(created);
  return { backend: created, prefix };
}

async function localFile(bytes: Buffer): Promise<string> {
  const path = join(workDir, randomUUID());
  await writeFile(path, bytes);
  return path;
}

describe('S3Backend against s3rver 3.7', () => {
  it('describes bucket, prefix and endpoint, never the credentials', () => {
    const { backend: subject, prefix } = backend();
    expect(subject.description).toBe(`s3 ${bucket}/${prefix}/ at ${s3rver.endpoint}`);
    expect(subject.description).not.toContain('S3RVER');
  });

  it('keeps objects under its prefix and hides its write probe from listings', async () => {
    const { backend: subject, prefix } = backend();
    const body = randomBytes(1234);
    const key = contentKey(sha256Of(body));

    await subject.checkWritable();
    expect(await subject.writeOnce(key, await localFile(body), body.length, sha256Of(body))).toBe('created');

    expect(await readFile(s3rver.objectPath(bucket, `${prefix}/${key}`))).toEqual(body);
    const listed = [];
    for await (const object of subject.list()) listed.push(object);
    expect(listed).toEqual([{ key, size: body.length }]);
  });

  it('records the SHA-256 as object metadata', async () => {
    const { backend: subject, prefix } = backend();
    const body = randomBytes(100);
    const sha256 = sha256Of(body);
    await subject.writeOnce(contentKey(sha256), await localFile(body), body.length, sha256);

    const client = s3rver.client();
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}/${contentKey(sha256)}` }));
      expect(head.Metadata).toEqual({ sha256 });
    } finally {
      client.destroy();
    }
  });

  it('with conditionalWrites, sends If-None-Match (s3rver accepts and ignores it) and still writes once', async () => {
    const { backend: subject } = backend({ conditionalWrites: true });
    const body = randomBytes(100);
    const sha256 = sha256Of(body);
    const file = await localFile(body);

    expect(await subject.writeOnce(contentKey(sha256), file, body.length, sha256)).toBe('created');
    expect(await subject.writeOnce(contentKey(sha256), file, body.length, sha256)).toBe('exists');
  });

  it('fails its readiness probe with ArchiveUnavailableError when the bucket does not exist', async () => {
    const subject = new S3Backend(s3rver.options('no-such-bucket'));
    opened.push(subject);
    await expect(subject.checkWritable()).rejects.toThrow(ArchiveUnavailableError);
    await expect(subject.checkWritable()).rejects.toThrow(/no-such-bucket.*not writable: NotFound \(HTTP 404\)/);
  });

  describe('checksum modes (STACK-NOTES, "S3-compatible stores")', () => {
    it("the SDK's WHEN_SUPPORTED default streams aws-chunked, s3rver stores the framing, the archive catches it", async () => {
      const { backend: subject, prefix } = backend();
      const body = randomBytes(100_000);
      const sha256 = sha256Of(body);
      const key = contentKey(sha256);
      const file = await localFile(body);

      // What a plain SDK client does with a file stream under its default checksum setting.
      const sdkDefault = s3rver.client('WHEN_SUPPORTED');
      try {
        await sdkDefault.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${prefix}/${key}`,
            Body: createReadStream(file),
            ContentLength: body.length,
          }),
        );
      } finally {
        sdkDefault.destroy();
      }

      // No error anywhere, yet the stored object is the aws-chunked encoding of the body:
      // `<hex length>\r\n<data>\r\n` per chunk, then a zero chunk and the checksum trailer.
      const stored = await readFile(s3rver.objectPath(bucket, `${prefix}/${key}`));
      expect(stored.length).toBeGreaterThan(body.length);
      expect(stored.toString('latin1', 0, 8)).toMatch(/^[0-9a-f]+\r\n/);
      expect(stored.toString('latin1', stored.length - 60)).toMatch(/\r\n0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/=]+\r\n\r\n$/);

      const store = new ArchiveStore(subject);
      const spooled = await store.spool(streamOf(body), workDir);
      const attempt = store.putFile(spooled);
      await expect(attempt).rejects.toThrow(ArchiveIntegrityError);
      await expect(attempt).rejects.toMatchObject({ key, expectedSha256: sha256, actualSha256: sha256Of(stored) });
      await spooled.dispose();
      expect(await store.verify(sha256)).toMatchObject({ ok: false, size: stored.length });
    });

    it("S3Backend with checksumMode 'when-supported' stores exact bytes: it sends the known SHA-256 as a header", async () => {
      const { backend: subject, prefix } = backend({ checksumMode: 'when-supported' });
      const store = new ArchiveStore(subject);
      const body = randomBytes(100_000);

      const archived = await store.putStream(streamOf(body), workDir);

      expect(archived.created).toBe(true);
      expect(await readFile(s3rver.objectPath(bucket, `${prefix}/${archived.key}`))).toEqual(body);
      expect((await store.verify(archived.sha256)).ok).toBe(true);
    });
  });
});
