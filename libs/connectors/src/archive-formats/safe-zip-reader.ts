import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ArtifactFormatError } from '../errors.js';
import { InflationGuard, type InflationBudget } from './inflation-guard.js';
import { classifyUnopenableZip, zipErrorFor } from './zip-error-classification.js';
import { isUnixSymlinkEntry, printableEntryName, unsafeZipEntryNameReason } from './zip-entry-name.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';

/** One entry of a zip being read. Read it before the iteration ends: the file is closed then. */
export interface SafeZipEntry {
  readonly name: string;
  /** Uncompressed size as the headers declare it; reading enforces the real one. */
  readonly size: number;
  readonly compressedSize: number;
  readonly isDirectory: boolean;
  /** The whole entry in memory, bounded by `maxEntryBytes`. */
  read(): Promise<Buffer>;
  /** The entry as a stream, for large entries; fails with ArtifactFormatError past a limit. */
  openStream(): Promise<Readable>;
}

export interface SafeZipReadOptions {
  limits?: Partial<ZipLimits>;
  /** How errors name the archive; defaults to the file's base name ("zip" for bytes). */
  artifactName?: string;
}

/**
 * Reads a zip from a local file, or from bytes already in memory (a zip inside a zip), refusing anything hostile or broken with an ArtifactFormatError
 * (codes in ZipErrorCode): unsafe names, symlinks, encryption, bombs, oversize, truncation.
 * Header checks run as entries are listed; byte counts are enforced again while inflating.
 */
export async function* readZipEntries(source: string | Buffer, options: SafeZipReadOptions = {}): AsyncGenerator<SafeZipEntry> {
  const limits = resolveZipLimits(options.limits);
  const artifact = options.artifactName ?? (typeof source === 'string' ? basename(source) : 'zip');
  const yauzlOptions = {
    lazyEntries: true,
    autoClose: false,
    validateEntrySizes: true,
    // Names are decoded and judged by us (unsafeZipEntryNameReason), not rewritten by yauzl.
    decodeStrings: false,
    strictFileNames: true,
  };

  let zipfile: ZipFile;
  try {
    zipfile = typeof source === 'string' ? await yauzl.openPromise(source, yauzlOptions) : await yauzl.fromBufferPromise(source, yauzlOptions);
  } catch (error) {
    throw await classifyUnopenableZip(source, artifact, error);
  }

  const reading = new ZipReading(zipfile, artifact, limits);
  try {
    if (zipfile.entryCount > limits.maxEntries) {
      throw new ArtifactFormatError(
        'ZIP_TOO_MANY_ENTRIES',
        `${artifact} holds ${zipfile.entryCount} entries, over the limit of ${limits.maxEntries}`,
        artifact,
      );
    }
    const entries = zipfile.eachEntry();
    while (true) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        throw zipErrorFor(error, artifact);
      }
      if (next.done) return;
      yield reading.admit(next.value);
    }
  } finally {
    reading.close();
  }
}

/** The state of one pass over a zip: what was declared and inflated so far. */
class ZipReading {
  private declaredBytes = 0;
  private readonly budget: InflationBudget = { inflatedBytes: 0 };
  private readonly seenNames = new Set<string>();
  private closed = false;

  constructor(
    private readonly zipfile: ZipFile,
    private readonly artifact: string,
    private readonly limits: ZipLimits,
  ) {}

  close(): void {
    this.closed = true;
    this.zipfile.close();
  }

  /** Checks an entry's header before anyone may read it, and wraps it for reading. */
  admit(entry: Entry): SafeZipEntry {
    const name = this.decodeName(entry);
    this.checkHeader(entry, name);
    const isDirectory = name.endsWith('/');
    return {
      name,
      size: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
      isDirectory,
      openStream: () => this.openStream(entry, name),
      read: async () => {
        if (isDirectory) return Buffer.alloc(0);
        const chunks: Buffer[] = [];
        const stream = await this.openStream(entry, name);
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      },
    };
  }

  private decodeName(entry: Entry): string {
    // With decodeStrings off, yauzl leaves names as bytes; this is its own decoder, minus the
    // backslash rewriting, so what we judge is what the archive says.
    return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
  }

  private checkHeader(entry: Entry, name: string): void {
    const { artifact, limits } = this;
    const refuse = (code: ConstructorParameters<typeof ArtifactFormatError>[0], what: string) =>
      new ArtifactFormatError(code, `${artifact}: entry "${printableEntryName(name)}" ${what}`, artifact);

    const unsafe = unsafeZipEntryNameReason(name);
    if (unsafe) throw refuse('ZIP_SLIP', `has an unsafe name: ${unsafe} (zip-slip)`);
    if (this.seenNames.has(name)) throw refuse('ZIP_CORRUPT', 'appears twice (ambiguous archive)');
    this.seenNames.add(name);
    if (isUnixSymlinkEntry(entry)) throw refuse('ZIP_SYMLINK', 'is a symbolic link');
    if (entry.isEncrypted()) throw refuse('ZIP_ENCRYPTED', 'is encrypted');

    const size = entry.uncompressedSize;
    if (size > limits.maxEntryBytes) {
      throw refuse('ZIP_TOO_LARGE', `declares ${size} bytes, over the ${limits.maxEntryBytes}-byte limit for one entry`);
    }
    if (size > limits.compressionRatioFloorBytes && size > limits.maxCompressionRatio * Math.max(entry.compressedSize, 1)) {
      throw refuse(
        'ZIP_BOMB',
        `declares ${size} bytes from ${entry.compressedSize} compressed (over the ${limits.maxCompressionRatio}:1 ratio limit)`,
      );
    }
    this.declaredBytes += size;
    if (this.declaredBytes > limits.maxTotalBytes) {
      throw refuse('ZIP_TOO_LARGE', `takes the declared total past the ${limits.maxTotalBytes}-byte limit`);
    }
  }

  private async openStream(entry: Entry, name: string): Promise<Readable> {
    if (this.closed) {
      throw new Error(`${this.artifact}: entry "${name}" was read after the zip was closed; read entries while iterating`);
    }
    let inflated: Readable;
    try {
      inflated = await this.zipfile.openReadStreamPromise(entry);
    } catch (error) {
      throw zipErrorFor(error, this.artifact, printableEntryName(name));
    }
    const guard = new InflationGuard(
      { artifact: this.artifact, name: printableEntryName(name), compressedSize: entry.compressedSize, crc32: entry.crc32 },
      this.limits,
      this.budget,
    );
    inflated.on('error', (error) => guard.destroy(zipErrorFor(error, this.artifact, printableEntryName(name))));
    // Stop inflating as soon as the reader gives up or a limit trips.
    guard.on('close', () => inflated.destroy());
    return inflated.pipe(guard);
  }
}
