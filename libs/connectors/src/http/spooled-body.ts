import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface SpooledBody {
  /** Reads the spooled copy; the file is already unlinked, so nothing is left behind when it closes. */
  body: Readable;
  size: number;
  /** The last `tailBytes` of the body (to check how it ends without reading it again). */
  tail: Buffer;
}

/**
 * Copies a body to a private temp file and reopens it for reading. A body that fails half way
 * fails here, with its own error, while the whole call can still be repeated.
 */
export async function spoolBody(source: Readable, dir: string, tailBytes = 0): Promise<SpooledBody> {
  const path = join(dir, `apivault-vendor-body-${randomUUID()}`);
  try {
    await pipeline(source, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    const tail = Buffer.alloc(Math.min(size, tailBytes));
    if (tail.length > 0) await handle.read(tail, 0, tail.length, size - tail.length);
    // Unlinked while open: the bytes stay readable through the handle and vanish with it.
    const unlinked = await rm(path).then(
      () => true,
      () => false,
    );
    const body = handle.createReadStream();
    if (!unlinked) body.once('close', () => void rm(path, { force: true }).catch(() => undefined));
    return { body, size, tail };
  } catch (error) {
    source.destroy();
    await rm(path, { force: true }).catch(() => undefined);
    throw error;
  }
}
