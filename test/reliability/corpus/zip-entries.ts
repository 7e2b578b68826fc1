import { unzipSync } from 'fflate';
import { deflateZipEntry, writeZip, type ZipEntry, type ZipEntryInput } from '../../../apps/vendor-sim/src/zip/deterministic-zip.js';
import { withDamagedData, withEncryptedFlag, zipOf } from '../../../libs/connectors/src/test/zip-fixtures.js';
import { once, SOURCES, type CorpusEntry } from './corpus-entry.js';
import { deeplyNestedJson, incompressibleText, INVALID_UTF8, LOGIN_PAGE, oneGibibyteOfZeros, zerosDeflated } from './hostile-bytes.js';

/** The entries of the healthy export, in order. */
function entriesOf(zip: Buffer): ZipEntry[] {
  return Object.entries(unzipSync(zip)).map(([name, data]) => ({ name, data }));
}

/** The healthy export plus the given entries, written as given (names included: writeZip never cleans them). */
const withEntries =
  (...extra: ZipEntry[]) =>
  (healthy: Buffer): Buffer =>
    writeZip([...entriesOf(healthy), ...extra]);

const conn = (name: string, data: string | Buffer): ZipEntryInput => ({ name: `connections/${name}.conn`, data: typeof data === 'string' ? Buffer.from(data) : data });

const dlf = (entry: Omit<CorpusEntry, 'source' | 'route'>): CorpusEntry => ({ source: SOURCES.dlf, route: 'dlf.export', ...entry });

const hugeConnection = once(() => deflateZipEntry(conn('huge', incompressibleText(17 * 1024 * 1024))));
const manyEntries = once(() => writeZip(Array.from({ length: 20_000 }, (_, i) => conn(`c${i}`, `{"name":"c${i}"}`))));

/** Zip exports (DLF connections): every way an archive can attack or break the reader. */
export const zipEntries: CorpusEntry[] = [
  dlf({
    id: 'zip-slip',
    checks: 'an entry named connections/../../../tmp/evil.conn is refused, not written or cataloged',
    replacement: { body: withEntries(conn('../../../tmp/evil', '{"name":"evil"}')) },
    codes: ['ZIP_SLIP'],
    says: /unsafe name: '\.\.' path segment \(zip-slip\)/,
  }),
  dlf({
    id: 'zip-absolute-path',
    checks: 'an entry with an absolute name (/etc/cron.d/evil.conn) is refused',
    replacement: { body: withEntries({ name: '/etc/cron.d/evil.conn', data: Buffer.from('{"name":"evil"}') }) },
    codes: ['ZIP_SLIP'],
    says: /unsafe name: absolute path/,
  }),
  dlf({
    id: 'zip-windows-path',
    checks: 'an entry named with backslashes (..\\..\\evil.conn) is refused',
    replacement: { body: withEntries({ name: 'connections\\..\\..\\evil.conn', data: Buffer.from('{"name":"evil"}') }) },
    codes: ['ZIP_SLIP'],
    says: /unsafe name: backslash in name/,
  }),
  dlf({
    id: 'zip-symlink',
    checks: 'an entry that is a symbolic link to /etc/passwd is refused',
    replacement: {
      body: (healthy) =>
        zipOf({
          ...Object.fromEntries(Object.entries(unzipSync(healthy))),
          'connections/passwd.conn': ['/etc/passwd', { os: 3, attrs: (0o120777 << 16) >>> 0 }],
        }),
    },
    codes: ['ZIP_SYMLINK'],
    says: /is a symbolic link/,
  }),
  dlf({
    id: 'zip-encrypted-entry',
    checks: 'an entry flagged as encrypted is refused, not read as garbage',
    replacement: { body: (healthy) => withEncryptedFlag(healthy, Object.keys(unzipSync(healthy))[0]!) },
    codes: ['ZIP_ENCRYPTED'],
    says: /is encrypted/,
  }),
  dlf({
    id: 'zip-bomb-ratio',
    checks: 'an entry of 8 MiB of zeros in 8 KiB (1000:1, sizes declared honestly) is refused from its header',
    replacement: {
      body: (healthy) => {
        const bomb = zerosDeflated(8);
        return writeZip([...entriesOf(healthy), { name: 'connections/bomb.conn', deflated: bomb.deflated, crc32: bomb.crc32, uncompressedSize: bomb.size }]);
      },
    },
    codes: ['ZIP_BOMB'],
    says: /over the 100:1 ratio limit/,
  }),
  dlf({
    id: 'zip-bomb-lying-header',
    checks: 'an entry whose header says 1 KiB but which inflates to 1 GiB is stopped while inflating, memory bounded',
    replacement: {
      body: (healthy) => {
        const bomb = oneGibibyteOfZeros();
        return writeZip([...entriesOf(healthy), { name: 'connections/zz_bomb.conn', deflated: bomb.deflated, crc32: bomb.crc32, uncompressedSize: 1024 }]);
      },
    },
    prepare: oneGibibyteOfZeros,
    codes: ['ZIP_BOMB'],
    says: /ratio limit|more bytes than its header declares/,
  }),
  dlf({
    id: 'zip-too-many-entries',
    checks: 'an export of 20,000 entries (over the 10,000 limit) is refused before any is read',
    replacement: { body: () => manyEntries() },
    prepare: manyEntries,
    codes: ['ZIP_TOO_MANY_ENTRIES'],
    says: /holds 20000 entries, over the limit of 10000/,
  }),
  dlf({
    id: 'zip-huge-entry',
    checks: 'one incompressible 17 MiB entry (over the 16 MiB entry limit) is refused',
    replacement: { body: (healthy) => withEntries(hugeConnection())(healthy) },
    prepare: hugeConnection,
    codes: ['ZIP_TOO_LARGE'],
    says: /over the \d+-byte limit for one entry/,
  }),
  dlf({
    id: 'zip-nested',
    checks: 'a .conn entry that is itself a zip of zips (42.zip style) is not unpacked: bad connection file',
    replacement: { body: withEntries(conn('nested', zipOf({ 'inner.zip': zipOf({ 'innermost.zip': zipOf({ 'a.conn': '{"name":"a"}' }) }) }))) },
    codes: ['BAD_CONN_JSON'],
    says: /"connections\/nested\.conn" is not (UTF-8 text|valid JSON)/,
  }),
  dlf({
    id: 'zip-duplicate-entry',
    checks: 'the same entry name twice (which copy counts?) is refused as ambiguous',
    replacement: {
      body: (healthy) => {
        const entries = entriesOf(healthy);
        return writeZip([...entries, { name: entries[0]!.name, data: Buffer.from('{"name":"other"}') }]);
      },
    },
    codes: ['ZIP_CORRUPT'],
    says: /appears twice/,
  }),
  dlf({
    id: 'zip-damaged-data',
    checks: 'an entry whose compressed data was damaged in transit fails inflation or its CRC-32',
    replacement: { body: (healthy) => withDamagedData(healthy, Object.keys(unzipSync(healthy))[0]!) },
    codes: ['ZIP_CORRUPT'],
    says: /CRC-32|corrupt compressed data/,
  }),
  dlf({
    id: 'zip-truncated',
    checks: 'an export cut in half on every attempt (honest Content-Length) is retried, then refused as cut short',
    replacement: { body: (healthy) => healthy.subarray(0, Math.floor(healthy.length / 2)) },
    codes: ['UNEXPECTED_CONTENT'],
    says: /zip cut short/,
  }),
  dlf({
    id: 'conn-invalid-utf8',
    checks: 'a .conn entry that is not UTF-8 is refused, naming the entry',
    replacement: { body: withEntries(conn('latin', Buffer.concat([Buffer.from('{"name":"'), INVALID_UTF8, Buffer.from('"}')]))) },
    codes: ['BAD_CONN_JSON'],
    says: /"connections\/latin\.conn" is not UTF-8 text/,
  }),
  dlf({
    id: 'conn-deeply-nested-json',
    checks: 'a .conn entry nested 100,000 levels deep is refused, not a stack overflow',
    replacement: { body: withEntries(conn('deep', `{"name":"deep","config":${deeplyNestedJson(100_000)}}`)) },
    codes: ['BAD_CONN_JSON'],
    says: /"connections\/deep\.conn" nests deeper than 256 levels/,
  }),
  dlf({
    id: 'conn-without-name',
    checks: 'a .conn entry without the connection name is refused',
    replacement: { body: withEntries(conn('anonymous', '{"type":"RDS","config":{}}')) },
    codes: ['BAD_CONN_JSON'],
    says: /has no connection name/,
  }),
  dlf({
    id: 'zip-empty-body',
    checks: 'status 200 with an empty body where a zip is due',
    replacement: { body: '' },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with an empty body instead of a zip/,
  }),
  dlf({
    id: 'zip-html-200',
    checks: 'status 200 with a login page (text/html) where a zip is due',
    replacement: { body: LOGIN_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with an HTML page instead of a zip: title: "Sign in - Corporate Proxy"/,
  }),
  dlf({
    id: 'zip-json-error-200',
    checks: 'status 200 with a vendor error body (JSON) where a zip is due: the vendor code is reported',
    replacement: { body: '{"error_code":"DLF.0100","error_msg":"The workspace is being upgraded"}', headers: { 'Content-Type': 'application/json' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /a JSON document instead of a zip \(vendor code DLF\.0100\): The workspace is being upgraded/,
  }),
  dlf({
    id: 'zip-wrong-content-type',
    checks: 'text labelled application/zip: the bytes are sniffed, not the label believed',
    replacement: { body: () => Buffer.concat([Buffer.from('NZ'), incompressibleText(4096)]), headers: { 'Content-Type': 'application/zip' } },
    codes: ['UNEXPECTED_CONTENT'],
    says: /with plain text instead of a zip/,
  }),
];
