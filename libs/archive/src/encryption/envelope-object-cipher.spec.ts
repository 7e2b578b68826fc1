import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sha256Of } from '../../test/fixtures.js';
import { digestStream } from '../digest-stream.js';
import { ArchiveDecryptionError } from '../errors.js';
import { headerLength, isEncryptedObjectHead, TAG_BYTES } from './encrypted-object-format.js';
import { EnvelopeObjectCipher } from './envelope-object-cipher.js';

const CHUNK = 1024;
const masterKey = { id: 'mk-test0000001', key: randomBytes(32) };

describe('EnvelopeObjectCipher (AES-256-GCM, chunked, data key wrapped under the master key)', () => {
  let dir: string;
  const cipher = new EnvelopeObjectCipher(masterKey, { chunkSize: CHUNK });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apivault-cipher-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function encrypt(plain: Buffer, using = cipher): Promise<{ stored: Buffer; sha256: string }> {
    const source = join(dir, `plain-${Math.random()}`);
    const target = `${source}.enc`;
    await writeFile(source, plain);
    const digest = await using.encryptFile(source, target, sha256Of(plain));
    const stored = await readFile(target);
    expect(digest).toEqual({ sha256: sha256Of(stored), size: stored.length });
    return { stored, sha256: sha256Of(plain) };
  }

  /** Feeds the stored bytes in odd-sized pieces, as a network read would. */
  function storedStream(bytes: Buffer): Readable {
    return Readable.from((function* () {
      for (let offset = 0; offset < bytes.length; offset += 333) yield bytes.subarray(offset, offset + 333);
    })());
  }

  async function decrypt(stored: Buffer, sha256: string, using = cipher): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of using.decrypt(storedStream(stored), sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])('round-trips %i bytes, and predicts the stored size', async (size) => {
    const plain = randomBytes(size);
    const { stored, sha256 } = await encrypt(plain);
    expect(isEncryptedObjectHead(stored)).toBe(true);
    expect(stored.length).toBe(cipher.encryptedSize(size));
    expect(await decrypt(stored, sha256)).toEqual(plain);
  });

  it('stores no plaintext: a recognisable body does not appear in the stored bytes', async () => {
    const plain = Buffer.from('password=hunter2;'.repeat(200));
    const { stored } = await encrypt(plain);
    expect(stored.includes(Buffer.from('hunter2'))).toBe(false);
  });

  it('uses a fresh data key and nonces per object: equal plaintexts store differently', async () => {
    const plain = randomBytes(2000);
    expect((await encrypt(plain)).stored.equals((await encrypt(plain)).stored)).toBe(false);
  });

  const header = headerLength(masterKey.id);
  it.each([
    ['a bit in the header (nonce prefix)', (b: Buffer) => flip(b, header - 6)],
    ['a bit in the first chunk', (b: Buffer) => flip(b, header + 10)],
    ['a bit in a chunk tag', (b: Buffer) => flip(b, header + CHUNK + 3)],
    ['the last chunk removed (truncation at a chunk boundary)', (b: Buffer) => b.subarray(0, header + 2 * (CHUNK + TAG_BYTES))],
    ['two chunks swapped', (b: Buffer) => swapChunks(b, header, CHUNK + TAG_BYTES)],
    ['a few bytes cut from the end', (b: Buffer) => b.subarray(0, b.length - 5)],
  ])('detects %s', async (_what, tamper) => {
    const plain = randomBytes(3 * CHUNK + 100);
    const { stored, sha256 } = await encrypt(plain);
    await expect(decrypt(tamper(Buffer.from(stored)), sha256)).rejects.toThrow(ArchiveDecryptionError);
  });

  it('refuses an object moved under another content key (the data key is bound to the hash)', async () => {
    const { stored } = await encrypt(randomBytes(100));
    await expect(decrypt(stored, sha256Of(Buffer.from('other')))).rejects.toThrow(/data key does not unwrap/);
  });

  it('names both keys when the object was encrypted under another master key', async () => {
    const other = new EnvelopeObjectCipher({ id: 'mk-other000000', key: randomBytes(32) }, { chunkSize: CHUNK });
    const { stored, sha256 } = await encrypt(randomBytes(100), other);
    await expect(decrypt(stored, sha256)).rejects.toThrow('encrypted under master key mk-other000000, but the loaded master key is mk-test0000001');
  });

  it('reads objects written under a previous master key, and writes new ones under the current key', async () => {
    const old = { id: 'mk-old00000000', key: randomBytes(32) };
    const { stored, sha256 } = await encrypt(Buffer.from('written before the rotation'), new EnvelopeObjectCipher(old, { chunkSize: CHUNK }));
    const rotated = new EnvelopeObjectCipher(masterKey, { chunkSize: CHUNK, previous: [old] });
    expect((await decrypt(stored, sha256, rotated)).toString()).toBe('written before the rotation');
    const fresh = await encrypt(Buffer.from('after'), rotated);
    await expect(decrypt(fresh.stored, fresh.sha256, new EnvelopeObjectCipher(old, { chunkSize: CHUNK }))).rejects.toThrow('encrypted under master key mk-test0000001');
  });

  it('streams: a 20 MiB object decrypts to the same digest with the default chunk size', async () => {
    const big = new EnvelopeObjectCipher(masterKey);
    const plain = randomBytes(20 * 1024 * 1024);
    const { stored, sha256 } = await encrypt(plain, big);
    expect(await digestStream(big.decrypt(storedStream(stored), sha256))).toEqual({ sha256, size: plain.length });
  });
});

function flip(bytes: Buffer, offset: number): Buffer {
  bytes[offset] ^= 0x01;
  return bytes;
}

function swapChunks(bytes: Buffer, header: number, sealedChunk: number): Buffer {
  const first = Buffer.from(bytes.subarray(header, header + sealedChunk));
  bytes.copy(bytes, header, header + sealedChunk, header + 2 * sealedChunk);
  first.copy(bytes, header + sealedChunk);
  return bytes;
}
