import { randomUUID } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ArchiveIntegrityError, ArchiveObjectMissingError, ArchiveUnavailableError } from '../errors.js';
import type { ArchiveBackend, ArchiveObjectListing, ArchiveObjectStat, ObjectLockSupport, WriteOnceOutcome } from './archive-backend.js';
import { assertValidListPrefix, assertValidObjectKey } from './object-key.js';

export interface FilesystemBackendOptions {
  /** Directory holding the archive; created on first write. */
  root: string;
}

/** Same directory tree as the objects, so the final link() never crosses filesystems. */
const TEMP_DIR = '.tmp';
const COPY_CHUNK_BYTES = 1024 * 1024;

/**
 * Archive in a local directory, one file per key. A write goes to a temp file, is fsynced,
 * then hard-linked to its final name: link() fails with EEXIST when the name is taken, which
 * makes write-once atomic even between concurrent writers, and a reader never sees a partial
 * object. Files are created read-only (0o444) as a guard against accidental edits.
 */
export class FilesystemBackend implements ArchiveBackend {
  readonly description: string;
  private readonly root: string;

  constructor(options: FilesystemBackendOptions) {
    this.root = resolve(options.root);
    this.description = `filesystem ${this.root}`;
  }

  async stat(key: string): Promise<ArchiveObjectStat | null> {
    try {
      const stats = await stat(this.pathOf(key));
      return stats.isFile() ? { size: stats.size } : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  // The filesystem keeps no metadata beside the bytes; the content key already names the hash.
  async writeOnce(key: string, localFile: string, size: number, sha256: string): Promise<WriteOnceOutcome> {
    const finalPath = this.pathOf(key);
    if ((await this.stat(key)) !== null) return 'exists';

    const tempDir = join(this.root, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const tempPath = join(tempDir, `${randomUUID()}.partial`);
    try {
      const copied = await copyDurably(localFile, tempPath);
      if (copied !== size) throw new ArchiveIntegrityError(key, sha256, undefined, size, copied);

      const finalDir = dirname(finalPath);
      const firstCreatedDir = await mkdir(finalDir, { recursive: true });
      try {
        await link(tempPath, finalPath);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') return 'exists';
        throw error;
      }
      await syncDirectory(finalDir);
      // New directories are only durable once their own parent's entry is on disk.
      if (firstCreatedDir !== undefined) await syncDirectory(dirname(firstCreatedDir));
      return 'created';
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async openRead(key: string): Promise<Readable> {
    let handle: FileHandle;
    try {
      // Opening eagerly turns a missing object into a typed error here, not a stream 'error' later.
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isNotFound(error)) throw new ArchiveObjectMissingError(key);
      throw error;
    }
    return handle.createReadStream();
  }

  async *list(prefix = ''): AsyncIterable<ArchiveObjectListing> {
    assertValidListPrefix(prefix);
    const baseKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    yield* this.walk(baseKey, prefix);
  }

  /** Used only by snapshot pruning (see ArchiveBackend.delete). */
  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async objectLock(): Promise<ObjectLockSupport> {
    return {
      enabled: false,
      reason: 'a filesystem archive has no Object Lock: files are created read-only (0444), but anyone who can write to the directory can remove them',
    };
  }

  async checkWritable(): Promise<void> {
    const probePath = join(this.root, TEMP_DIR, `probe-${randomUUID()}`);
    try {
      await mkdir(dirname(probePath), { recursive: true });
      const handle = await open(probePath, 'wx', 0o600);
      try {
        await handle.writeFile('probe');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new ArchiveUnavailableError(`${this.description} is not writable: ${messageOf(error)}`, { cause: error });
    } finally {
      // When the probe itself failed, its error is the one worth reporting, not this cleanup's.
      await rm(probePath, { force: true }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    assertValidObjectKey(key);
    const path = join(this.root, ...key.split('/'));
    // Belt and braces: the key rules above already make escaping the root impossible.
    if (!path.startsWith(this.root + sep)) throw new Error(`key ${key} resolves outside ${this.root}`);
    return path;
  }

  /** Depth-first over `dirKey` (a key prefix ending with `/`, or empty), pruning by `prefix`. */
  private async *walk(dirKey: string, prefix: string): AsyncIterable<ArchiveObjectListing> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.root, ...dirKey.split('/').filter(Boolean)), { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = dirKey + entry.name;
      if (entry.isDirectory()) {
        const childKey = `${key}/`;
        if (childKey.startsWith(prefix) || prefix.startsWith(childKey)) yield* this.walk(childKey, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const stats = await stat(join(this.root, ...key.split('/'))).catch((error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        });
        if (stats) yield { key, size: stats.size };
      }
    }
  }
}

/** Copies into a new read-only file and fsyncs it; returns the number of bytes copied. */
async function copyDurably(source: string, target: string): Promise<number> {
  const handle = await open(target, 'wx', 0o444);
  try {
    let copied = 0;
    for await (const chunk of createReadStream(source, { highWaterMark: COPY_CHUNK_BYTES })) {
      const bytes = chunk as Buffer;
      for (let offset = 0; offset < bytes.length; ) {
        offset += (await handle.write(bytes, offset)).bytesWritten;
      }
      copied += bytes.length;
    }
    await handle.sync();
    return copied;
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms cannot fsync a directory; the data itself is already synced.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
