/** End of central directory: its signature, fixed size, and the largest comment that may follow it. */
const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/** How many bytes from the end of a file can hold the end record. */
export const ZIP_END_SEARCH_BYTES = EOCD_SIZE + MAX_COMMENT;

/**
 * Whether a zip's last bytes hold its end record, exactly where its comment length puts it. A zip
 * cut short, even one whose Content-Length agreed, lacks it; the safe reader refuses it later
 * anyway, but only here can the call still be repeated.
 */
export function endsWithZipEndRecord(tail: Buffer): boolean {
  for (let at = tail.lastIndexOf(EOCD_SIGNATURE); at >= 0; at = at > 0 ? tail.lastIndexOf(EOCD_SIGNATURE, at - 1) : -1) {
    if (at + EOCD_SIZE <= tail.length && at + EOCD_SIZE + tail.readUInt16LE(at + 20) === tail.length) return true;
  }
  return false;
}
