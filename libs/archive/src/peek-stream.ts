import { Readable } from 'node:stream';

/**
 * Reads the first `count` bytes of a stream (fewer when it ends sooner) and returns them with
 * a stream of the whole content, those bytes included, so a reader can branch on a header
 * without buffering the body.
 */
export async function peekStream(stream: Readable, count: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const parts: Buffer[] = [];
  let length = 0;
  let done = false;
  try {
    while (length < count) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      const bytes = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      parts.push(bytes);
      length += bytes.length;
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }
  const buffered = Buffer.concat(parts);
  async function* whole(): AsyncGenerator<Buffer> {
    if (buffered.length > 0) yield buffered;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }
  const result = Readable.from(whole(), { objectMode: false });
  // A reader that stops early, or never starts, must not leave the source (a file, a socket) open.
  result.once('close', () => {
    if (!stream.destroyed) stream.destroy();
  });
  return { head: buffered.subarray(0, count), stream: result };
}
