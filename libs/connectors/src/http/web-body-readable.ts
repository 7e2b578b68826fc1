import { Readable } from 'node:stream';

export type WebBodyReader = ReadableStreamDefaultReader<Uint8Array>;

export interface WebBodyReadableOptions {
  /** Read failures (reset, timeout) go through this, so consumers see one error type whatever part of the call failed. */
  toError: (cause: unknown) => Error;
  /** The stream fails with `tooLarge(bytesSeen)` once more than this many bytes arrived. */
  maxBytes?: number;
  tooLarge?: (bytesSeen: number) => Error;
  /** Called once when the stream is done with the body: ended, failed or dropped by its consumer. */
  onClose?: () => void;
}

/** A Node stream over a fetch body, starting with bytes already taken from it (the peeked head). */
export function readableFromWebBody(head: Buffer[], reader: WebBodyReader | null, options: WebBodyReadableOptions): Readable {
  const pending = head.filter((chunk) => chunk.length > 0);
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  return new Readable({
    read() {
      const deliver = (chunk: Buffer): void => {
        seen += chunk.length;
        if (seen > maxBytes) {
          this.destroy(options.tooLarge?.(seen) ?? new Error(`the body is over ${maxBytes} bytes`));
          return;
        }
        this.push(chunk);
      };
      const next = pending.shift();
      if (next) {
        deliver(next);
        return;
      }
      if (!reader) {
        this.push(null);
        return;
      }
      reader.read().then(
        ({ done, value }) => (done ? this.push(null) : deliver(Buffer.from(value.buffer, value.byteOffset, value.byteLength))),
        (cause: unknown) => this.destroy(options.toError(cause)),
      );
    },
    destroy(error, callback) {
      // Releases the connection when the consumer stops early; harmless after the end.
      reader?.cancel().catch(() => undefined);
      options.onClose?.();
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
