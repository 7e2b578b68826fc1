import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipBit, randomStream, sha256Of, streamOf } from '../test/fixtures.js';
import { measureMemoryGrowth } from '../test/memory-probe.js';
import { filesystemKind, s3Kind, type BackendUnderTest } from '../test/backend-kinds.js';
import {
  ArchiveIntegrityError,
  ArchiveObjectMissingError,
  ArchiveStore,
  contentKey,
  digestStream,
} from './index.js';

const MiB = 1024 * 1024;

describe.each([filesystemKind(), s3Kind()])('ArchiveStore over $name', (kind) => {
  let spoolDir: string;
  let subject: BackendUnderTest;
  let store: ArchiveStore;

  beforeAll(async () => {
    await kind.setUp();
    spoolDir = await mkdtemp(join(tmpdir(), 'apivault-spool-'));
  });
  afterAll(async () => {
    await rm(spoolDir, { recursive: true, force: true });
    await kind.tearDown();
  });
  beforeEach(async () => {
    subject = await kind.create();
    store = new ArchiveStore(subject.backend);
  });
  afterEach(async () => {
    await store.close();
  });

  async function archive(bytes: Buffer) {
    const spooled = await store.spool(streamOf(bytes), spoolDir);
    try {
      return await store.putFile(spooled);
    } finally {
      await spooled.dispose();
    }
  }

  async function listAll(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of subject.backend.list()) keys.push(object.key);
    return keys;
  }

  it('gives back exactly the bytes it archived, under their content key', async () => {
    const body = randomBytes(5 * MiB);
    const sha256 = sha256Of(body);

    const archived = await archive(body);

    expect(archived).toEqual({ key: contentKey(sha256), sha256, size: body.length, created: true });
    expect(await store.has(sha256)).toBe(true);
    expect(await digestStream(await store.open(sha256))).toEqual({ sha256, size: body.length });
    expect(await subject.strayFiles()).toEqual([]);
  });

  it('stores equal content once', async () => {
    const body = randomBytes(64 * 1024);

    const first = await archive(body);
    const second = await archive(body);

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    expect(await listAll()).toEqual([first.key]);
  });

  it('reports, and leaves alone, other content already stored under the key', async () => {
    const expected = randomBytes(4096);
    const squatter = randomBytes(4096);
    const key = contentKey(sha256Of(expected));
    const squatterFile = join(spoolDir, `squatter-${randomUUID()}`);
    await writeFile(squatterFile, squatter);
    await subject.backend.writeOnce(key, squatterFile, squatter.length, sha256Of(expected));

    const attempt = archive(expected);

    await expect(attempt).rejects.toThrow(ArchiveIntegrityError);
    await expect(attempt).rejects.toMatchObject({
      key,
      expectedSha256: sha256Of(expected),
      actualSha256: sha256Of(squatter),
    });
    expect(await digestStream(await subject.backend.openRead(key))).toEqual({
      sha256: sha256Of(squatter),
      size: squatter.length,
    });
  });

  it('verify() detects a bit flipped in the stored object', async () => {
    const body = randomBytes(256 * 1024);
    const { key, sha256 } = await archive(body);
    expect(await store.verify(sha256)).toEqual({
      key,
      ok: true,
      expectedSha256: sha256,
      actualSha256: sha256,
      size: body.length,
    });

    await flipBit(subject.storedPath(key), 100_000);

    const report = await store.verify(sha256);
    expect(report).toMatchObject({ key, ok: false, expectedSha256: sha256, size: body.length });
    expect(report.actualSha256).not.toBe(sha256);
  });

  it("with verifyAfterWrite 'size', still catches stored content of another size", async () => {
    const sizeOnly = new ArchiveStore(subject.backend, { verifyAfterWrite: 'size' });
    const expected = randomBytes(1000);
    const key = contentKey(sha256Of(expected));
    const shorter = join(spoolDir, `short-${randomUUID()}`);
    await writeFile(shorter, expected.subarray(0, 999));
    await subject.backend.writeOnce(key, shorter, 999, sha256Of(expected));

    const spooled = await sizeOnly.spool(streamOf(expected), spoolDir);
    await expect(sizeOnly.putFile(spooled)).rejects.toMatchObject({
      name: 'ArchiveIntegrityError',
      key,
      expectedSize: 1000,
      actualSize: 999,
    });
    await spooled.dispose();
  });

  it('rejects reads of content it does not have with ArchiveObjectMissingError', async () => {
    const absent = sha256Of(randomBytes(16));
    expect(await store.has(absent)).toBe(false);
    await expect(store.open(absent)).rejects.toThrow(ArchiveObjectMissingError);
    await expect(store.verify(absent)).rejects.toThrow(ArchiveObjectMissingError);
  });

  it('passes its readiness probe without adding listed objects', async () => {
    await expect(store.checkWritable()).resolves.toBeUndefined();
    expect(await listAll()).toEqual([]);
  });

  it('streams a 40 MiB body through spool, archive and read-back without holding it in memory', async () => {
    const size = 40 * MiB;
    let archived: { sha256: string; size: number; created: boolean } | undefined;
    let readBack: { sha256: string; size: number } | undefined;

    const growth = await measureMemoryGrowth(async () => {
      archived = await store.putStream(randomStream(size), spoolDir);
      readBack = await digestStream(await store.open(archived.sha256));
    });

    expect(archived).toMatchObject({ size, created: true });
    expect(readBack).toEqual({ sha256: archived?.sha256, size });
    // A buffered body would add at least 40 MiB; streaming keeps a few chunks in flight.
    console.info(
      `${kind.name}: 40 MiB body, peak live growth ${mib(growth.peakLiveBytes)} ` +
        `over ${growth.samples} samples, retained ${mib(growth.retainedBytes)}`,
    );
    expect(growth.samples).toBeGreaterThan(10);
    expect(growth.peakLiveBytes).toBeLessThan(24 * MiB);
    // Retained memory also holds what the SDK and jest keep warm (seen up to ~8 MiB on a busy
    // machine); a body kept whole would retain 40 MiB, so 16 MiB still tells the two apart.
    expect(growth.retainedBytes).toBeLessThan(16 * MiB);
  });
});

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
