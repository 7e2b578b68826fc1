const LOCAL_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const METHOD_DEFLATE = 8;
/** In the first byte of a deflate stream, bits 1-2 are the block type; 0b11 is reserved. */
const RESERVED_BLOCK_TYPE = 0b110;

/**
 * A copy of a zip that still lists its entries but whose first deflated entry cannot be inflated
 * (its first block has the reserved type, so every inflater fails at once, CRC check or not).
 * A zip without such an entry gets a broken end-of-central-directory signature instead.
 */
export function corruptFirstZipEntry(zip: Uint8Array): Buffer {
  const out = Buffer.from(zip);
  if (out.length >= 30 && out.readUInt32LE(0) === LOCAL_HEADER && out.readUInt16LE(8) === METHOD_DEFLATE && out.readUInt32LE(18) > 0) {
    const dataStart = 30 + out.readUInt16LE(26) + out.readUInt16LE(28);
    if (dataStart < out.length) {
      out[dataStart] |= RESERVED_BLOCK_TYPE;
      return out;
    }
  }
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end >= 0 && out.readUInt32LE(end) === END_OF_CENTRAL_DIRECTORY) out[end + 3] ^= 0xff;
  else if (out.length > 0) out[0] ^= 0xff;
  return out;
}
