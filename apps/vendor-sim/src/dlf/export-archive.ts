import { PLANTED_SECRET_PREFIX, type DlfConnection } from './dlf-connection.js';
import { deflateZipEntry, writeZip, type PrecompressedZipEntry, type ZipEntry } from '../zip/deterministic-zip.js';
import { zipBombEntry } from '../zip/zip-bomb-entry.js';

/** The file name DLF gives the export (Content-Disposition). */
export const DLF_EXPORT_FILE_NAME = 'DLF_All_DataConnections.zip';

export function connectionEntryName(name: string): string {
  return `connections/${name}.conn`;
}

/**
 * One `.conn` file: compact JSON with a fixed key order, so an unchanged connection always
 * serializes to the same bytes.
 */
export function serializeConnection(connection: DlfConnection): Uint8Array {
  const { name, type, config, description } = connection;
  return new TextEncoder().encode(JSON.stringify({ name, type, config, description }));
}

/**
 * The entries of a workspace's export, serialized and compressed: the costly part of an export,
 * which the route caches until the workspace changes. Sorted by name (DlfState.list order).
 */
export function dlfExportEntries(connections: readonly DlfConnection[]): PrecompressedZipEntry[] {
  return connections.map((c) => deflateZipEntry({ name: connectionEntryName(c.name), data: serializeConnection(c) }));
}

/** The export of a workspace, its entries stamped with the export time. */
export function buildDlfExportZip(entries: readonly PrecompressedZipEntry[], exportedAt: Date): Buffer {
  return writeZip(entries, { modified: exportedAt });
}

/** Archive-level faults: the valid export with one hostile entry added (after the valid ones). */
export type HostileEntryKind = 'zip-slip' | 'absolute-path' | 'zip-bomb' | 'bad-json-conn';

function hostileEntry(kind: HostileEntryKind): ZipEntry {
  const text = (value: string) => new TextEncoder().encode(value);
  const evil = JSON.stringify({ name: 'evil', type: 'HOST', config: { password: `${PLANTED_SECRET_PREFIX}evil` }, description: '' });
  switch (kind) {
    case 'zip-slip':
      return { name: '../../evil.conn', data: text(evil) };
    case 'absolute-path':
      return { name: '/etc/evil.conn', data: text(evil) };
    case 'zip-bomb':
      return zipBombEntry('connections/zz_bomb.conn');
    case 'bad-json-conn':
      return { name: 'connections/zz_broken.conn', data: text('{"name":"zz_broken","type":"DWS","config":{"ip":') };
  }
}

export function buildHostileDlfExportZip(entries: readonly PrecompressedZipEntry[], kind: HostileEntryKind, exportedAt: Date): Buffer {
  return writeZip([...entries, hostileEntry(kind)], { modified: exportedAt });
}
