import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';

/**
 * A minimal zip writer whose output depends only on its input: the given modification time,
 * fixed attributes, entries in the given order. Equal catalogs exported at the same time give
 * byte-identical archives; like the real vendors, exports at different times differ only in the
 * entry times. It also writes what a well-behaved library refuses to (`../` or absolute entry
 * names, precompressed bombs) for fault injection.
 */
export interface ZipEntryInput {
  /** Written as given, even if unsafe: the fault injector relies on that. */
  name: string;
  data: Uint8Array;
}

/** An entry whose deflated bytes were computed elsewhere (see zip-bomb-entry.ts). */
export interface PrecompressedZipEntry {
  name: string;
  deflated: Uint8Array;
  crc32: number;
  uncompressedSize: number;
}

export type ZipEntry = ZipEntryInput | PrecompressedZipEntry;

export interface WriteZipOptions {
  /** Every entry's modification time (the export time); default 2024-01-01T00:00:00Z. */
  modified?: Date;
}

const DEFAULT_MODIFIED = new Date(Date.UTC(2024, 0, 1));

/**
 * MS-DOS date and time fields (2-second resolution, 1980-2107). Zip tools write local time; we
 * write the UTC fields, so that the bytes do not depend on the machine's time zone.
 */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
const METHOD_DEFLATE = 8;
const VERSION = 20;
/** Bit 11: the name is UTF-8. Set only when needed, like most zip tools do. */
const FLAG_UTF8 = 0x0800;
/** Unix regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const UNIX_FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const MADE_BY_UNIX = (3 << 8) | VERSION;

export function deflateZipEntry(entry: ZipEntryInput): PrecompressedZipEntry {
  return {
    name: entry.name,
    deflated: deflateSync(entry.data, { level: 6 }),
    crc32: crc32(entry.data),
    uncompressedSize: entry.data.length,
  };
}

/** Classic zip limits: the simulator never needs zip64, so it refuses instead of writing it badly. */
const MAX_CLASSIC_ENTRIES = 0xffff;
const MAX_CLASSIC_OFFSET = 0xffffffff;

export function writeZip(entries: readonly ZipEntry[], options: WriteZipOptions = {}): Buffer {
  const { time: dosTime, date: dosDate } = dosDateTime(options.modified ?? DEFAULT_MODIFIED);
  if (entries.length > MAX_CLASSIC_ENTRIES) throw new RangeError(`writeZip: ${entries.length} entries need zip64`);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of entries) {
    const entry = 'deflated' in input ? input : deflateZipEntry(input);
    const name = Buffer.from(entry.name, 'utf8');
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : FLAG_UTF8;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(METHOD_DEFLATE, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(entry.crc32 >>> 0, 14);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(METHOD_DEFLATE, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(entry.crc32 >>> 0, 16);
    central.writeUInt32LE(entry.deflated.length, 20);
    central.writeUInt32LE(entry.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(UNIX_FILE_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, Buffer.from(entry.deflated.buffer, entry.deflated.byteOffset, entry.deflated.length));
    centrals.push(central, name);
    offset += local.length + name.length + entry.deflated.length;
    if (offset > MAX_CLASSIC_OFFSET) throw new RangeError('writeZip: archive too large without zip64');
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
