import { z } from 'zod';

const MiB = 1024 * 1024;

/** What a zip export may hold before the reader refuses it as a bomb or as hostile. */
export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
  /** Uncompressed : compressed, checked for entries larger than `compressionRatioFloorBytes`. */
  maxCompressionRatio: number;
  /** Small entries (JSON, tiny sheets) legitimately compress very well: no ratio check below this. */
  compressionRatioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 10_000,
  maxEntryBytes: 16 * MiB,
  maxTotalBytes: 512 * MiB,
  maxCompressionRatio: 100,
  compressionRatioFloorBytes: 1 * MiB,
});

/** The `limits` block of a source's configuration: any subset, the rest from the defaults. */
export const zipLimitsConfigSchema = z.strictObject({
  maxEntries: z.int().positive().optional(),
  maxEntryBytes: z.int().positive().optional(),
  maxTotalBytes: z.int().positive().optional(),
  maxCompressionRatio: z.number().positive().optional(),
  compressionRatioFloorBytes: z.int().nonnegative().optional(),
});

export type ZipLimitsConfig = z.infer<typeof zipLimitsConfigSchema>;

export function resolveZipLimits(overrides: Partial<ZipLimits> = {}): ZipLimits {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_ZIP_LIMITS, ...defined };
}
