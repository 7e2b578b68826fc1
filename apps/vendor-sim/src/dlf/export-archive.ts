import { PLANTED_SECRET_PREFIX, type DlfConnection } from './dlf-connection.js';
import { writeZip, type ZipEntry } from '../zip/deterministic-zip.js';
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

function connectionEntries(connections: readonly DlfConnection[]): ZipEntry[] {
  return connections.map((c) => ({ name: connectionEntryName(c.name), data: serializeConnection(c) }));
}

/** The export of a workspace: one entry per connection, sorted by name (DlfState.list order). */
export function buildDlfExportZip(connections: readonly DlfConnection[]): Buffer {
  return writeZip(connectionEntries(connections));
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

export function buildHostileDlfExportZip(connections: readonly DlfConnection[], kind: HostileEntryKind): Buffer {
  return writeZip([...connectionEntries(connections), hostileEntry(kind)]);
}
