import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, type ZipAttributes } from 'fflate';

export type ZipFixtureEntry = string | Uint8Array | [Uint8Array | string, ZipAttributes & { level?: 0 | 9 }];

/** Builds a zip in memory with fflate; entry order is kept. */
export function zipOf(entries: Record<string, ZipFixtureEntry>): Buffer {
  const input: Parameters<typeof zipSync>[0] = {};
  for (const [name, entry] of Object.entries(entries)) {
    const [data, options] = Array.isArray(entry) ? entry : [entry, {}];
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    input[name] = [bytes, { level: 6, mtime: new Date('2024-01-01T00:00:00Z'), ...options }];
  }
  return Buffer.from(zipSync(input));
}

/** Temp files removed by `cleanup()` (call it in afterAll). */
export class TempFiles {
  private dir: string | undefined;

  async write(name: string, bytes: Buffer | string): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'apivault-connectors-'));
    const path = join(this.dir, name);
    await writeFile(path, bytes);
    return path;
  }

  async cleanup(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

interface HeaderOffsets {
  central: number;
  local: number;
}

/** Finds an entry's central and local headers (a zip without an archive comment). */
function headerOffsets(zip: Buffer, entryName: string): HeaderOffsets {
  const endOfCentralDirectory = zip.length - 22;
  if (zip.readUInt32LE(endOfCentralDirectory) !== 0x06054b50) throw new Error('fixture: no end of central directory');
  const count = zip.readUInt16LE(endOfCentralDirectory + 10);
  let p = zip.readUInt32LE(endOfCentralDirectory + 16);
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(p + 28);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (name === entryName) return { central: p, local: zip.readUInt32LE(p + 42) };
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`fixture: no entry ${entryName}`);
}

/** Makes both headers lie about an entry's uncompressed size, as a crafted bomb does. */
export function withDeclaredUncompressedSize(zip: Buffer, entryName: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = headerOffsets(out, entryName);
  out.writeUInt32LE(size, central + 24);
  out.writeUInt32LE(size, local + 22);
  return out;
}

/** Sets the "encrypted" flag (general purpose bit 0) on an entry. */
export function withEncryptedFlag(zip: Buffer, entryName: string): Buffer {
  const out = Buffer.from(zip);
  const { central, local } = headerOffsets(out, entryName);
  out.writeUInt16LE(out.readUInt16LE(central + 8) | 1, central + 8);
  out.writeUInt16LE(out.readUInt16LE(local + 6) | 1, local + 6);
  return out;
}

/** Flips bytes in the middle of an entry's data. */
export function withDamagedData(zip: Buffer, entryName: string): Buffer {
  const out = Buffer.from(zip);
  const { local } = headerOffsets(out, entryName);
  const dataStart = local + 30 + out.readUInt16LE(local + 26) + out.readUInt16LE(local + 28);
  for (let i = 0; i < 4; i++) out[dataStart + 2 + i] ^= 0xff;
  return out;
}
