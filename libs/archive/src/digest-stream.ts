import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface StreamDigest {
  sha256: string;
  size: number;
}

/** Reads a stream to its end, keeping only the running hash: memory stays flat for any size. */
export async function digestStream(stream: Readable): Promise<StreamDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    hash.update(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}
