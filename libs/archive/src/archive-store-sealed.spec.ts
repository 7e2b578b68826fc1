import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesystemKind, s3Kind, type BackendKind, type BackendUnderTest } from '../test/backend-kinds.js';
import { ArchiveStore, InvalidArchiveKeyError } from './index.js';

describe.each<BackendKind>([filesystemKind(), s3Kind()])('sealed (named, write-once) objects over $name', (kind) => {
  let tmpDir: string;
  let subject: BackendUnderTest;
  let store: ArchiveStore;

  beforeAll(async () => {
    await kind.setUp();
    tmpDir = await mkdtemp(join(tmpdir(), 'apivault-sealed-'));
  });
  afterAll(async () => {
    await rm(tmpDir, { recursive: true, force: true });
    await kind.tearDown();
  });
  beforeEach(async () => {
    subject = await kind.create();
    store = new ArchiveStore(subject.backend);
  });
  afterEach(() => store.close());

  it('writes once, reads back, and refuses to replace the object', async () => {
    const key = 'snapshots/all/20260301T080000Z-abc/manifest.json';
    const sealed = await store.putSealed(key, Buffer.from('{"a":1}'), tmpDir);
    expect(sealed).toMatchObject({ key, size: 7 });
    await expect(store.putSealed(key, Buffer.from('{"a":2}'), tmpDir)).rejects.toThrow('already exists; sealed objects are never replaced');
    expect((await store.readSealed(key)).toString()).toBe('{"a":1}');
  });

  it('keeps sealed objects out of the content namespace', async () => {
    await expect(store.putSealed(`sha256/ab/cd/${'ab'.repeat(32)}`, Buffer.from('x'), tmpDir)).rejects.toThrow(InvalidArchiveKeyError);
  });

  it('deletes only when asked (pruning), and a second delete is harmless', async () => {
    const key = 'snapshots/all/x/evidence.json';
    await store.putSealed(key, Buffer.from('{}'), tmpDir);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it('says whether Object Lock is available, and why not', async () => {
    const lock = await store.objectLock();
    expect(lock.enabled).toBe(false);
    if (lock.enabled) return;
    expect(lock.reason).toMatch(kind.s3rver ? /does not implement S3 Object Lock \(GetObjectLockConfiguration answered .*501/ : /filesystem archive has no Object Lock/);
  });
});
