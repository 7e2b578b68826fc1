import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { deflateZipEntry, writeZip, type PrecompressedZipEntry } from '../zip/deterministic-zip.js';
import { API_TYPES, type ApiType, type DataServiceApi } from './dataservice-api.js';
import type { ExportLocale } from './dataservice-state.js';
import { headerOf, sheetColumns, SHEET_NAMES } from './workbook-layout.js';

/** What the vendor's exporter would write as the workbook's author. */
const WORKBOOK_CREATOR = 'DataArts Studio';
const CORE_PROPERTIES = 'docProps/core.xml';

/**
 * A rendered `.xlsx`, kept apart from its creation time: the parts exceljs wrote, compressed once,
 * and the core properties (where the creation time lives) as text to stamp at every export.
 */
export interface WorkbookTemplate {
  before: PrecompressedZipEntry[];
  coreProperties: string;
  after: PrecompressedZipEntry[];
}

/**
 * One workbook of the export: a sheet per API type present in `apis` (in API_TYPES order), row 1
 * the headers in the locale, one row per API.
 */
export async function renderWorkbookTemplate(apis: readonly DataServiceApi[], locale: ExportLocale): Promise<WorkbookTemplate> {
  // The streaming writer, with inline strings and no styles: four times faster than building a
  // Workbook, and the way large exporters (POI's SXSSF) write. The reader must cope with either.
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  workbook.creator = WORKBOOK_CREATOR;
  workbook.lastModifiedBy = WORKBOOK_CREATOR;

  const byType = new Map<ApiType, DataServiceApi[]>();
  for (const api of apis) {
    const list = byType.get(api.api_type) ?? [];
    list.push(api);
    byType.set(api.api_type, list);
  }
  for (const apiType of API_TYPES) {
    const ofType = byType.get(apiType);
    if (!ofType) continue;
    const columns = sheetColumns(apiType);
    const sheet = workbook.addWorksheet(SHEET_NAMES[apiType][locale]);
    sheet.addRow(columns.map((column) => headerOf(column, locale))).commit();
    for (const api of ofType) sheet.addRow(columns.map((column) => column.cell(api))).commit();
    sheet.commit();
  }
  await workbook.commit();

  const parts = Object.entries(unzipSync(new Uint8Array(Buffer.concat(chunks))));
  const coreIndex = parts.findIndex(([name]) => name === CORE_PROPERTIES);
  if (coreIndex < 0) throw new Error(`exceljs wrote no ${CORE_PROPERTIES}`);
  const deflate = ([name, data]: [string, Uint8Array]) => deflateZipEntry({ name, data });
  return {
    before: parts.slice(0, coreIndex).map(deflate),
    coreProperties: strFromU8(parts[coreIndex][1]),
    after: parts.slice(coreIndex + 1).map(deflate),
  };
}

/** W3CDTF without milliseconds, as exceljs writes it. */
function w3cdtf(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

/** The workbook's bytes, created and modified at the export time (properties and part times alike). */
export function stampWorkbook(template: WorkbookTemplate, exportTime: Date): Buffer {
  const core = template.coreProperties.replace(
    /(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g,
    (_match, open: string, _tag: string, close: string) => `${open}${w3cdtf(exportTime)}${close}`,
  );
  const coreEntry = deflateZipEntry({ name: CORE_PROPERTIES, data: strToU8(core) });
  return writeZip([...template.before, coreEntry, ...template.after], { modified: exportTime });
}
