import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SpoolLimitExceededError } from './errors.js';

/** A body saved to a local temp file, with the hash and size measured while it was written. */
export interface SpooledFile {
  path: string;
  sha256: string;
  size: number;
  /** Removes the temp file; safe to call more than once. */
  dispose(): Promise<void>;
}

export interface SpoolOptions {
  /** Abort once the body grows past this many bytes (a vendor export gone wrong, a hostile peer). */
  maxBytes?: number;
}

/**
 * Streams a body to a temp file in `tmpDir`, hashing and counting on the way, so the content
 * key is known before anything reaches the archive and the body is never held in memory.
 * On any failure, including the size limit, the source is destroyed and the temp file removed.
 */
export async function spool(stream: Readable, tmpDir: string, options: SpoolOptions = {}): Promise<SpooledFile> {
  const { maxBytes } = options;
  if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  }
  const path = join(tmpDir, `spool-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) {
        callback(new SpoolLimitExceededError(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const dispose = () => rm(path, { force: true });
  let file: FileHandle;
  try {
    await mkdir(tmpDir, { recursive: true });
    // Opened before streaming so the file exists by the time any failure path removes it.
    file = await open(path, 'wx', 0o600);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  try {
    await pipeline(stream, measure, file.createWriteStream());
  } catch (error) {
    await dispose();
    throw error;
  }
  return { path, sha256: hash.digest('hex'), size, dispose };
}
