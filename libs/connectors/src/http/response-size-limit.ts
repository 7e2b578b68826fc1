/** Default ceiling of a streamed body (`send`, `sendAndSpool`): the largest export we expect, with room. */
export const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** Default ceiling of a body held in memory (`fetchBuffered`): listings and pages, not exports. */
export const DEFAULT_MAX_BUFFERED_RESPONSE_BYTES = 32 * 1024 * 1024;

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB'];

/** "512 MiB", "1.5 KiB", "17 bytes": sizes in error messages. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit]}`;
}
