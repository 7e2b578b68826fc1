import { open } from 'node:fs/promises';
import { looksLikeHtml, looksLikeZip } from '../content-sniffing.js';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError, type ZipErrorCode } from '../errors.js';

/**
 * yauzl and zlib report problems as plain Errors with English messages; these are the ones we
 * have seen, mapped to codes an operator can act on. Anything unknown is reported as corrupt,
 * with yauzl's own words kept in the message.
 */
const YAUZL_MESSAGES: ReadonlyArray<[RegExp, ZipErrorCode, string]> = [
  [/invalid relative path|absolute path|invalid characters in fileName/i, 'ZIP_SLIP', 'has an unsafe name (zip-slip)'],
  [/strong encryption|is encrypted/i, 'ZIP_ENCRYPTED', 'is encrypted'],
  [/unsupported compression method|multi-disk/i, 'ZIP_UNSUPPORTED', 'uses a zip feature we do not read'],
  [/too many bytes in the stream/i, 'ZIP_BOMB', 'inflates to more bytes than its header declares'],
  [/not enough bytes in the stream/i, 'ZIP_CORRUPT', 'inflates to fewer bytes than its header declares'],
  [/unexpected EOF|overflows file bounds|unexpected end of file/i, 'ZIP_TRUNCATED', 'is cut short (truncated file)'],
];

export function zipErrorFor(error: unknown, artifact: string, entryName?: string): ArtifactFormatError {
  if (error instanceof ArtifactFormatError) return error;
  const detail = errorMessage(error);
  const subject = entryName === undefined ? artifact : `${artifact}: entry "${entryName}"`;
  for (const [pattern, code, what] of YAUZL_MESSAGES) {
    if (pattern.test(detail)) return new ArtifactFormatError(code, `${subject} ${what} (${detail})`, artifact, { cause: error });
  }
  const isZlibError = typeof (error as { code?: unknown })?.code === 'string' && /^Z_/.test((error as { code: string }).code);
  const what = isZlibError ? 'has corrupt compressed data' : 'is not a readable zip';
  return new ArtifactFormatError('ZIP_CORRUPT', `${subject} ${what} (${detail})`, artifact, { cause: error });
}

/**
 * yauzl says only "end of central directory not found" for both a file that never was a zip and
 * one cut short; its first bytes tell them apart, and name the usual culprit: an HTML error page
 * saved in place of the export.
 */
export async function classifyUnopenableZip(source: string | Buffer, artifact: string, error: unknown): Promise<ArtifactFormatError> {
  const detail = errorMessage(error);
  if (!/end of central directory record signature not found/i.test(detail)) return zipErrorFor(error, artifact);
  const head = typeof source === 'string' ? await readHead(source, 512) : source.subarray(0, 512);
  if (head.length === 0) return new ArtifactFormatError('NOT_A_ZIP', `${artifact} is empty, not a zip`, artifact);
  if (looksLikeZip(head)) {
    return new ArtifactFormatError('ZIP_TRUNCATED', `${artifact} starts like a zip but its end is missing (truncated file)`, artifact);
  }
  if (looksLikeHtml(head)) return new ArtifactFormatError('NOT_A_ZIP', `${artifact} is an HTML page, not a zip`, artifact);
  return new ArtifactFormatError('NOT_A_ZIP', `${artifact} is not a zip (no zip signature found)`, artifact);
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
