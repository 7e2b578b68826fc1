import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactFormatError } from '../errors.js';
import {
  TempFiles,
  withDamagedData,
  withDeclaredUncompressedSize,
  withEncryptedFlag,
  zipOf,
} from '../test/zip-fixtures.js';
import { InflationGuard } from './inflation-guard.js';
import { readZipEntries, type SafeZipReadOptions } from './safe-zip-reader.js';
import { DEFAULT_ZIP_LIMITS, resolveZipLimits } from './zip-limits.js';

const MiB = 1024 * 1024;
const temp = new TempFiles();
afterAll(() => temp.cleanup());

/** Reads every entry the way a parser does; returns name -> content. */
async function readAll(path: string, options?: SafeZipReadOptions): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of readZipEntries(path, options)) out.set(entry.name, (await entry.read()).toString('utf8'));
  return out;
}

async function refusal(promise: Promise<unknown>): Promise<ArtifactFormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactFormatError);
  return error as ArtifactFormatError;
}

/** The entry names of a zip in memory. */
async function entryNamesOf(zip: Buffer): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of readZipEntries(zip)) names.push(entry.name);
  return names;
}

describe('readZipEntries', () => {
  it('reads a normal zip: files, directories, sizes, in order', async () => {
    const path = await temp.write(
      'normal.zip',
      zipOf({ 'connections/': new Uint8Array(0), 'connections/a.conn': '{"name":"a"}', 'readme.txt': ['stored', { level: 0 }] }),
    );
    const seen: Array<{ name: string; isDirectory: boolean; size: number; text: string }> = [];
    for await (const entry of readZipEntries(path)) {
      seen.push({ name: entry.name, isDirectory: entry.isDirectory, size: entry.size, text: (await entry.read()).toString() });
    }
    expect(seen).toEqual([
      { name: 'connections/', isDirectory: true, size: 0, text: '' },
      { name: 'connections/a.conn', isDirectory: false, size: 12, text: '{"name":"a"}' },
      { name: 'readme.txt', isDirectory: false, size: 6, text: 'stored' },
    ]);
  });

  it('reads a zip held in memory (a zip inside a zip) the same way', async () => {
    const zip = zipOf({ 'a.txt': 'alpha', '../evil': 'x' });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const entry of readZipEntries(zip, { artifactName: 'inner.xlsx' })) seen.push((await entry.read()).toString());
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['alpha']);
    expect((error as ArtifactFormatError).code).toBe('ZIP_SLIP');
    expect((error as ArtifactFormatError).message).toMatch(/^inner\.xlsx: entry "\.\.\/evil"/);
    expect((await refusal(entryNamesOf(Buffer.from('nope')))).message).toContain('zip is not a zip');
  });

  it('streams an entry', async () => {
    const big = randomBytes(2 * MiB);
    const path = await temp.write('stream.zip', zipOf({ 'big.bin': big }));
    let total = 0;
    for await (const entry of readZipEntries(path)) {
      const stream = await entry.openStream();
      for await (const chunk of stream) total += (chunk as Buffer).length;
    }
    expect(total).toBe(big.length);
  });

  it.each([
    ['../x', "'..' path segment"],
    ['connections/../../etc/passwd', "'..' path segment"],
    ['/x', 'absolute path'],
    ['C:\\x', 'backslash'],
    ['C:/x', 'drive-letter path'],
    ['\\\\server\\share\\x', 'backslash'],
    ['a\u0000b', 'NUL'],
  ])('refuses the unsafe name %j as ZIP_SLIP', async (name, reason) => {
    const path = await temp.write(`slip-${randomBytes(4).toString('hex')}.zip`, zipOf({ 'ok.txt': 'fine', [name]: 'evil' }));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('ZIP_SLIP');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('entry "');
  });

  it('refuses a symlink entry', async () => {
    const path = await temp.write('symlink.zip', zipOf({ link: ['/etc/passwd', { os: 3, attrs: (0o120777 << 16) >>> 0 }] }));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('ZIP_SYMLINK');
    expect(error.message).toContain('"link"');
  });

  it('refuses an encrypted entry', async () => {
    const path = await temp.write('encrypted.zip', withEncryptedFlag(zipOf({ 'secret.txt': 'x'.repeat(100) }), 'secret.txt'));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('ZIP_ENCRYPTED');
  });

  describe('zip bombs (64 MiB of zeros)', () => {
    const zeros = Buffer.alloc(64 * MiB);
    const bomb = zipOf({ 'bomb.bin': [zeros, { level: 9 }] });

    it('refuses one that declares its size, before inflating anything', async () => {
      const path = await temp.write('bomb.zip', bomb);
      const error = await refusal(readAll(path, { limits: { maxEntryBytes: 128 * MiB, maxTotalBytes: 1024 * MiB } }));
      expect(error.code).toBe('ZIP_BOMB');
      expect(error.message).toMatch(/"bomb\.bin" declares 67108864 bytes from \d+ compressed/);
    });

    it('refuses one over the per-entry size limit with the default limits', async () => {
      const path = await temp.write('bomb-default.zip', bomb);
      const error = await refusal(readAll(path));
      expect(error.code).toBe('ZIP_TOO_LARGE');
    });

    it('refuses one whose headers lie about its size, while inflating', async () => {
      const compressedSize = bomb.length; // an upper bound is enough to make the lie look harmless
      const lying = withDeclaredUncompressedSize(bomb, 'bomb.bin', compressedSize * 2);
      const path = await temp.write('bomb-lying.zip', lying);
      const entries = readZipEntries(path);
      const first = await entries.next();
      expect(first.done).toBe(false);
      if (first.done) return;
      expect(first.value.size).toBe(compressedSize * 2); // the header check passed: the lie is believable
      const error = await refusal(first.value.read());
      expect(error.code).toBe('ZIP_BOMB');
      expect(error.message).toContain('"bomb.bin"');
      await entries.return(undefined);
    });
  });

  it('the inflation guard enforces the ratio on the bytes really produced', async () => {
    const limits = resolveZipLimits();
    const guard = new InflationGuard({ artifact: 'x.zip', name: 'e', compressedSize: 1000, crc32: 0 }, limits, { inflatedBytes: 0 });
    const source = Readable.from((function* () {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024);
    })());
    const error = await refusal(pipeline(source, guard, async function* (chunks) {
      for await (const _ of chunks) yield _;
    }));
    expect(error.code).toBe('ZIP_BOMB');
  });

  it('refuses too many entries before reading any', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, String(i)]));
    const path = await temp.write('many.zip', zipOf(files));
    const error = await refusal(readAll(path, { limits: { maxEntries: 5 } }));
    expect(error.code).toBe('ZIP_TOO_MANY_ENTRIES');
    expect(error.message).toContain('6 entries');
  });

  it('refuses an archive past the total size limit', async () => {
    const path = await temp.write('total.zip', zipOf({ 'a.txt': 'a'.repeat(600), 'b.txt': 'b'.repeat(600) }));
    const error = await refusal(readAll(path, { limits: { maxTotalBytes: 1000 } }));
    expect(error.code).toBe('ZIP_TOO_LARGE');
    expect(error.message).toContain('"b.txt"');
  });

  it('refuses a truncated zip', async () => {
    const zip = zipOf({ 'a.txt': 'a'.repeat(5000), 'b.txt': randomBytes(5000) });
    const path = await temp.write('truncated.zip', zip.subarray(0, Math.floor(zip.length / 2)));
    const error = await refusal(readAll(path, { artifactName: 'DLF_All_DataConnections.zip' }));
    expect(error.code).toBe('ZIP_TRUNCATED');
    expect(error.message).toContain('DLF_All_DataConnections.zip');
    expect(error.toDetails()).toMatchObject({ stage: 'parse', artifact: 'DLF_All_DataConnections.zip' });
  });

  it('refuses an entry whose data was damaged', async () => {
    const zip = zipOf({ 'a.txt': ['hello world, '.repeat(200), { level: 0 }] });
    const path = await temp.write('damaged.zip', withDamagedData(zip, 'a.txt'));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('ZIP_CORRUPT');
    expect(error.message).toContain('CRC-32');
  });

  it('refuses random bytes', async () => {
    const path = await temp.write('random.bin', randomBytes(4096));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('NOT_A_ZIP');
  });

  it('refuses an empty file', async () => {
    const path = await temp.write('empty.zip', Buffer.alloc(0));
    const error = await refusal(readAll(path));
    expect(error.code).toBe('NOT_A_ZIP');
  });

  it('refuses an HTML page saved as a zip, and says so', async () => {
    const html = '<!DOCTYPE html>\n<html><head><title>Login</title></head><body>Please sign in</body></html>';
    const path = await temp.write('login.zip', html);
    const error = await refusal(readAll(path));
    expect(error.code).toBe('NOT_A_ZIP');
    expect(error.message).toContain('HTML page');
  });

  it('refuses reading an entry after the iteration ended', async () => {
    const path = await temp.write('late.zip', zipOf({ 'a.txt': 'a' }));
    const kept = [];
    for await (const entry of readZipEntries(path)) kept.push(entry);
    await expect(kept[0].read()).rejects.toThrow(/read entries while iterating/);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_ZIP_LIMITS).toEqual({
      maxEntries: 10_000,
      maxEntryBytes: 16 * MiB,
      maxTotalBytes: 512 * MiB,
      maxCompressionRatio: 100,
      compressionRatioFloorBytes: MiB,
    });
  });
});
