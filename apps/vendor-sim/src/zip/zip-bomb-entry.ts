import { deflateZipEntry, type PrecompressedZipEntry } from './deterministic-zip.js';

/** 64 MiB of zeros: deflates to about 64 KiB, far past any sane per-entry size limit. */
export const ZIP_BOMB_UNCOMPRESSED_SIZE = 64 * 1024 * 1024;

let cached: Omit<PrecompressedZipEntry, 'name'> | undefined;

/** Deflating 64 MiB takes a noticeable moment, so it is done once per process, on first use. */
export function zipBombEntry(name: string): PrecompressedZipEntry {
  cached ??= deflateZipEntry({ name, data: new Uint8Array(ZIP_BOMB_UNCOMPRESSED_SIZE) });
  return { ...cached, name };
}
