import { Readable } from 'node:stream';

export type WebBodyReader = ReadableStreamDefaultReader<Uint8Array>;

/**
 * A Node stream over a fetch body, starting with bytes already taken from it (the peeked head).
 * Read failures (reset, timeout) go through `toError`, so consumers see one error type whatever
 * part of the call failed.
 */
export function readableFromWebBody(head: Buffer[], reader: WebBodyReader | null, toError: (cause: unknown) => Error): Readable {
  const pending = head.filter((chunk) => chunk.length > 0);
  return new Readable({
    read() {
      const next = pending.shift();
      if (next) {
        this.push(next);
        return;
      }
      if (!reader) {
        this.push(null);
        return;
      }
      reader.read().then(
        ({ done, value }) => this.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
        (cause: unknown) => this.destroy(toError(cause)),
      );
    },
    destroy(error, callback) {
      // Releases the connection when the consumer stops early; harmless after the end.
      reader?.cancel().catch(() => undefined);
      callback(error);
    },
  });
}

/** Reads at least `minBytes` (unless the body ends first) without consuming more than needed. */
export async function readBodyHead(reader: WebBodyReader, minBytes: number): Promise<{ chunks: Buffer[]; ended: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < minBytes) {
    const { done, value } = await reader.read();
    if (done) return { chunks, ended: true };
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    chunks.push(chunk);
    length += chunk.length;
  }
  return { chunks, ended: false };
}
