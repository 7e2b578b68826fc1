import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Of } from '../../test/fixtures.js';
import { ArchiveIntegrityError, InvalidArchiveKeyError } from '../errors.js';
import { FilesystemBackend } from './filesystem-backend.js';

describe('FilesystemBackend', () => {
  let base: string;
  let root: string;
  let backend: FilesystemBackend;
  let source: string;
  const body = randomBytes(10_000);

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'apivault-fs-backend-'));
    root = join(base, 'archive');
    backend = new FilesystemBackend({ root });
    source = join(base, 'source');
    await writeFile(source, body);
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('describes itself by its absolute root', () => {
    expect(new FilesystemBackend({ root: 'relative/dir' }).description).toBe(`filesystem ${join(process.cwd(), 'relative/dir')}`);
  });

  it.each(['../escape', 'a/../../escape', '/etc/passwd', 'a\\b', 'a//b', 'a/', '', '.tmp/x', 'a/./b', 'a/\u0000b'])(
    'refuses the unsafe key %j',
    async (key) => {
      await expect(backend.writeOnce(key, source, body.length, sha256Of(body))).rejects.toThrow(InvalidArchiveKeyError);
      await expect(backend.stat(key)).rejects.toThrow(InvalidArchiveKeyError);
      await expect(backend.openRead(key)).rejects.toThrow(InvalidArchiveKeyError);
    },
  );

  it('creates objects read-only and leaves no temp file behind', async () => {
    expect(await backend.writeOnce('a/b/object', source, body.length, sha256Of(body))).toBe('created');

    expect((await stat(join(root, 'a', 'b', 'object'))).mode & 0o777).toBe(0o444);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('lets exactly one of many concurrent writers of a key create it', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => backend.writeOnce('same/key', source, body.length, sha256Of(body))),
    );

    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'exists')).toHaveLength(7);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('refuses a file whose size is not the announced one, storing nothing', async () => {
    await expect(backend.writeOnce('k', source, body.length + 1, sha256Of(body))).rejects.toThrow(ArchiveIntegrityError);
    expect(await backend.stat('k')).toBeNull();
  });

  it('lists by string prefix, skipping its own temp directory', async () => {
    for (const key of ['sha256/ab/x', 'sha256/ab/y', 'sha256/ac/z', 'other/w']) {
      await backend.writeOnce(key, source, body.length, sha256Of(body));
    }
    await writeFile(join(root, '.tmp', 'leftover.partial'), 'crash debris');

    const keys = async (prefix?: string) => {
      const found: string[] = [];
      for await (const object of backend.list(prefix)) found.push(object.key);
      return found.sort();
    };
    expect(await keys()).toEqual(['other/w', 'sha256/ab/x', 'sha256/ab/y', 'sha256/ac/z']);
    expect(await keys('sha256/a')).toEqual(['sha256/ab/x', 'sha256/ab/y', 'sha256/ac/z']);
    expect(await keys('sha256/ab/')).toEqual(['sha256/ab/x', 'sha256/ab/y']);
    expect(await keys('sha256/ab/y')).toEqual(['sha256/ab/y']);
    expect(await keys('missing/')).toEqual([]);
  });

  it('fails its readiness probe with ArchiveUnavailableError when the root cannot be created', async () => {
    await writeFile(join(base, 'a-file'), '');
    const blocked = new FilesystemBackend({ root: join(base, 'a-file', 'archive') });
    await expect(blocked.checkWritable()).rejects.toThrow(/a-file\/archive is not writable/);
    await expect(blocked.checkWritable()).rejects.toMatchObject({ name: 'ArchiveUnavailableError' });
  });
});
