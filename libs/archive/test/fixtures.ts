import { createHash, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A body delivered in network-sized chunks, like a vendor download. */
export function streamOf(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
        yield bytes.subarray(offset, offset + CHUNK_BYTES);
      }
    })(),
  );
}

/** `size` random bytes generated lazily, so the test itself never holds the whole body. */
export function randomStream(size: number): Readable {
  return Readable.from(
    (function* () {
      for (let remaining = size; remaining > 0; remaining -= CHUNK_BYTES) {
        yield randomBytes(Math.min(CHUNK_BYTES, remaining));
      }
    })(),
  );
}

/** Tampers behind the backend's back; stored files are read-only, so lift that briefly. */
export async function flipBit(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] ^= 0x01;
  await chmod(path, 0o644);
  await writeFile(path, bytes);
  await chmod(path, 0o444);
}
