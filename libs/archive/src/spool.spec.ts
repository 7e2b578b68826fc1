import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomStream, sha256Of, streamOf } from '../test/fixtures.js';
import { SpoolLimitExceededError } from './errors.js';
import { spool } from './spool.js';

describe('spool', () => {
  let tmpDir: string;

  beforeEach(async () => {
    tmpDir = await mkdtemp(join(tmpdir(), 'apivault-spool-'));
  });
  afterEach(async () => {
    await rm(tmpDir, { recursive: true, force: true });
  });

  it('saves the body and measures its SHA-256 and size on the way', async () => {
    const body = randomBytes(300_000);

    const spooled = await spool(streamOf(body), join(tmpDir, 'created-on-demand'));

    expect(spooled).toMatchObject({ sha256: sha256Of(body), size: body.length });
    expect(await readFile(spooled.path)).toEqual(body);
    await spooled.dispose();
    await spooled.dispose();
    expect(await readdir(join(tmpDir, 'created-on-demand'))).toEqual([]);
  });

  it('accepts a body of exactly maxBytes', async () => {
    const body = randomBytes(1000);
    const spooled = await spool(streamOf(body), tmpDir, { maxBytes: 1000 });
    expect(spooled.size).toBe(1000);
    await spooled.dispose();
  });

  it('aborts past maxBytes, destroys the source and leaves no temp file', async () => {
    const source = randomStream(5 * 1024 * 1024);

    const attempt = spool(source, tmpDir, { maxBytes: 100_000 });

    await expect(attempt).rejects.toThrow(SpoolLimitExceededError);
    await expect(attempt).rejects.toThrow('body exceeds the 100000-byte limit');
    expect(source.destroyed).toBe(true);
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('removes the temp file when the source fails midway', async () => {
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(1000);
        throw new Error('vendor connection reset');
      })(),
    );

    await expect(spool(failing, tmpDir)).rejects.toThrow('vendor connection reset');
    expect(await readdir(tmpDir)).toEqual([]);
  });
});
