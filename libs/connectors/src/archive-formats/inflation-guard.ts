import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { ArtifactFormatError } from '../errors.js';
import type { ZipLimits } from './zip-limits.js';

/** Uncompressed bytes produced so far by every entry of one archive. */
export interface InflationBudget {
  inflatedBytes: number;
}

export interface GuardedEntry {
  artifact: string;
  name: string;
  compressedSize: number;
  crc32: number;
}

/**
 * Sits after the inflater and counts the bytes it really produces. Zip headers are written by
 * whoever made the archive, so the declared sizes checked up front can lie; these checks cannot.
 * It fails the stream at the first chunk past a limit, before the rest is ever inflated.
 */
export class InflationGuard extends Transform {
  private inflated = 0;
  private crc = 0;

  constructor(
    private readonly entry: GuardedEntry,
    private readonly limits: ZipLimits,
    private readonly budget: InflationBudget,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.inflated += chunk.length;
    this.budget.inflatedBytes += chunk.length;
    const refusal = this.limitExceeded();
    if (refusal) return done(refusal);
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.crc !== this.entry.crc32) {
      return done(this.refuse('ZIP_CORRUPT', 'fails its CRC-32 check (the archive is damaged)'));
    }
    done();
  }

  private limitExceeded(): ArtifactFormatError | null {
    const { limits, entry } = this;
    if (this.inflated > limits.maxEntryBytes) {
      return this.refuse('ZIP_TOO_LARGE', `inflates past the ${limits.maxEntryBytes}-byte limit for one entry`);
    }
    if (
      this.inflated > limits.compressionRatioFloorBytes &&
      this.inflated > limits.maxCompressionRatio * Math.max(entry.compressedSize, 1)
    ) {
      return this.refuse(
        'ZIP_BOMB',
        `inflates ${entry.compressedSize} compressed bytes to more than ${this.inflated} bytes ` +
          `(over the ${limits.maxCompressionRatio}:1 ratio limit)`,
      );
    }
    if (this.budget.inflatedBytes > limits.maxTotalBytes) {
      return this.refuse('ZIP_TOO_LARGE', `takes the archive past the ${limits.maxTotalBytes}-byte total limit`);
    }
    return null;
  }

  private refuse(code: 'ZIP_CORRUPT' | 'ZIP_TOO_LARGE' | 'ZIP_BOMB', what: string): ArtifactFormatError {
    return new ArtifactFormatError(code, `${this.entry.artifact}: entry "${this.entry.name}" ${what}`, this.entry.artifact);
  }
}
