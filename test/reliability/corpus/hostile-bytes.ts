import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { once } from './corpus-entry.js';

const MiB = 1024 * 1024;

/**
 * A raw deflate stream of `mebibytes` MiB of zeros, about 1 KiB per MiB, made without ever
 * holding the zeros: one MiB deflated up to a full flush is a self-contained run of blocks
 * (no back-reference crosses a full flush), so the same bytes repeated inflate to that MiB
 * again and again; an empty final block ends the stream.
 */
export function zerosDeflated(mebibytes: number): { deflated: Buffer; crc32: number; size: number } {
  const zeros = Buffer.alloc(MiB);
  const block = deflateRawSync(zeros, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < mebibytes; i++) crc = crc32(zeros, crc);
  return { deflated: Buffer.concat([...Array.from({ length: mebibytes }, () => block), deflateRawSync(Buffer.alloc(0))]), crc32: crc, size: mebibytes * MiB };
}

/** 1 GiB of zeros in about 1 MiB, made once. */
export const oneGibibyteOfZeros = once(() => zerosDeflated(1024));

/** `[[[[...]]]]`, `depth` deep: valid JSON that recursive code cannot walk. */
export function deeplyNestedJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, a cut sequence). */
export const INVALID_UTF8 = Buffer.from([0x80, 0xc0, 0xaf, 0xe2, 0x82]);

/** A login wall's page, as a proxy answers in place of an API. */
export const LOGIN_PAGE = `<!DOCTYPE html>
<html><head><title>Sign in - Corporate Proxy</title></head>
<body><form action="/login" method="post"><input name="user"><input type="password" name="password"></form></body></html>
`;

/** The classic billion laughs: ten entity levels, each ten times the one below (about 3 GB expanded). */
export function billionLaughsDoctype(root: string): string {
  const levels = [`<!ENTITY lol0 "lol">`];
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return `<!DOCTYPE ${root} [\n${levels.join('\n')}\n]>`;
}

/** An external entity pointing at a local file and at a cloud metadata address. */
export function externalEntityDoctype(root: string): string {
  return `<!DOCTYPE ${root} [\n<!ENTITY file SYSTEM "file:///etc/passwd">\n<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/">\n]>`;
}

/** A YAML billion laughs: nine levels of anchors, each aliasing the one below nine times. */
export function yamlAliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  return `swagger: "2.0"\ninfo: {title: bomb, version: "1"}\n${lines.join('\n')}\npaths: {}\n`;
}

/** Incompressible printable text (base64 of random bytes), about `bytes` long. */
export function incompressibleText(bytes: number): Buffer {
  return Buffer.from(randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64'));
}

/**
 * A body streamed chunk by chunk, never held whole: `prefix`, then `filler` repeated until
 * `bytes` have been sent. For answers larger than what a client should ever read.
 */
export function streamedBody(bytes: number, prefix = '', filler = ' '): () => Readable {
  return () => {
    const chunk = Buffer.from(filler.repeat(Math.max(1, Math.floor(64 * 1024 / filler.length))));
    let sent = 0;
    return Readable.from(
      (function* () {
        const head = Buffer.from(prefix);
        sent += head.length;
        yield head;
        while (sent < bytes) {
          const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
          sent += piece.length;
          yield piece;
        }
      })(),
    );
  };
}
