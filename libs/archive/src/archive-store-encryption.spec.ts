import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesystemKind, s3Kind, type BackendUnderTest } from '../test/backend-kinds.js';
import { flipBit, sha256Of, streamOf } from '../test/fixtures.js';
import {
  ArchiveDecryptionError,
  ArchiveStore,
  contentKey,
  digestStream,
  ENCRYPTED_FORMAT_V1,
  EnvelopeObjectCipher,
  isEncryptedObjectHead,
} from './index.js';

const masterKey = { id: 'mk-0123456789ab', key: randomBytes(32) };

describe.each([filesystemKind(), s3Kind()])('ArchiveStore with encryption at rest over $name', (kind) => {
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
    store = new ArchiveStore(subject.backend, { cipher: new EnvelopeObjectCipher(masterKey) });
  });
  afterEach(async () => {
    await store.close();
  });

  const archive = (target: ArchiveStore, bytes: Buffer) => target.putStream(streamOf(bytes), spoolDir);

  it('stores ciphertext under the plaintext content key, and gives the plaintext back', async () => {
    const body = Buffer.from(`{"password":"s3cr3t-value"}`.repeat(5000));
    const archived = await archive(store, body);

    expect(archived).toEqual({ key: contentKey(sha256Of(body)), sha256: sha256Of(body), size: body.length, created: true });
    const stored = await readFile(subject.storedPath(archived.key));
    expect(isEncryptedObjectHead(stored)).toBe(true);
    expect(stored.includes(Buffer.from('s3cr3t-value'))).toBe(false);
    expect(await digestStream(await store.open(archived.sha256))).toEqual({ sha256: archived.sha256, size: body.length });
    expect(await store.verify(archived.sha256)).toEqual({ key: archived.key, ok: true, expectedSha256: archived.sha256, actualSha256: archived.sha256, size: body.length });
    expect(await store.inspect(archived.sha256)).toEqual({
      key: archived.key,
      stored: { sha256: sha256Of(stored), size: stored.length, encryption: ENCRYPTED_FORMAT_V1 },
      content: { key: archived.key, ok: true, expectedSha256: archived.sha256, actualSha256: archived.sha256, size: body.length },
    });
  });

  it('deduplicates by plaintext: the same content archived twice is stored once', async () => {
    const body = randomBytes(10_000);
    const first = await archive(store, body);
    const second = await archive(store, body);
    expect(second).toEqual({ ...first, created: false });
  });

  it('still reads objects stored before encryption was enabled, and does not re-store them', async () => {
    const body = randomBytes(5000);
    const plainStore = new ArchiveStore(subject.backend);
    const legacy = await archive(plainStore, body);
    const before = await readFile(subject.storedPath(legacy.key));

    expect(await archive(store, body)).toEqual({ ...legacy, created: false });
    expect(await readFile(subject.storedPath(legacy.key))).toEqual(before);
    expect(await digestStream(await store.open(legacy.sha256))).toEqual({ sha256: legacy.sha256, size: body.length });
    expect((await store.verify(legacy.sha256)).ok).toBe(true);
    expect((await store.inspect(legacy.sha256)).stored).toEqual({ sha256: legacy.sha256, size: body.length, encryption: 'none' });
  });

  it('verify() reports a bit flipped in the ciphertext as a failed decryption, naming the object', async () => {
    const archived = await archive(store, randomBytes(200_000));
    await flipBit(subject.storedPath(archived.key), 150_000);
    const report = await store.verify(archived.sha256);
    expect(report).toMatchObject({ key: archived.key, ok: false, expectedSha256: archived.sha256, actualSha256: null });
    expect(report.problem).toMatch(/decryption failed: chunk 2 .* failed authentication/);
    const inspection = await store.inspect(archived.sha256);
    expect(inspection.content).toEqual(report);
    expect(inspection.stored).toEqual({ sha256: sha256Of(await readFile(subject.storedPath(archived.key))), size: expect.any(Number), encryption: ENCRYPTED_FORMAT_V1 });
  });

  it('a store without the key refuses to hand out ciphertext as content', async () => {
    const archived = await archive(store, randomBytes(100));
    const keyless = new ArchiveStore(subject.backend);
    await expect(keyless.open(archived.sha256)).rejects.toThrow(ArchiveDecryptionError);
  });
});
