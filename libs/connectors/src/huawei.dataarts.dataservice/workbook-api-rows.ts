import type { Readable } from 'node:stream';
import { ArtifactFormatError } from '../errors.js';
import type { ApiRow } from './dataservice-api-document.js';
import { cellText } from './cell-text.js';
import { apiTypeOfSheet, columnKeyOf, type ColumnKey } from './workbook-columns.js';
import { readXlsxSheets, type CellValue, type XlsxLocation } from './xlsx-sheet-reader.js';

export interface WorkbookRowsOptions extends XlsxLocation {
  /** A sheet without an API-name header (a notes or instructions sheet) is skipped, and said so. */
  onSkippedSheet?: (sheet: string, reason: string) => void;
}

export interface LocatedApiRow extends ApiRow {
  sheet: string;
  number: number;
}

interface SheetLayout {
  known: Map<number, ColumnKey>;
  unknown: Map<number, string>;
}

/** Which column holds what, from the header row; the same field twice is ambiguous. */
function layoutOf(header: CellValue[]): SheetLayout | string {
  const known = new Map<number, ColumnKey>();
  const unknown = new Map<number, string>();
  const seen = new Map<ColumnKey, string>();
  header.forEach((cell, column) => {
    const text = cellText(cell);
    if (text === null) return;
    const key = columnKeyOf(text);
    if (!key) return void unknown.set(column, text);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new Error(`headers "${earlier}" and "${text}" both name the field ${key}`);
    seen.set(key, text);
    known.set(column, key);
  });
  return [...known.values()].includes('name') ? { known, unknown } : 'no API name column in its header row';
}

/**
 * The API rows of one workbook, every sheet: the first non-empty row of a sheet is its header
 * row (row 1 in the layout we decided), each non-empty row below it is an API.
 */
export async function* readApiRows(source: Readable, options: WorkbookRowsOptions): AsyncGenerator<LocatedApiRow> {
  for await (const sheet of readXlsxSheets(source, options)) {
    let layout: SheetLayout | undefined;
    let skipped = false;
    const sheetApiType = apiTypeOfSheet(sheet.name);
    for await (const row of sheet.rows) {
      // A skipped sheet is still read to its end: the workbook is one stream.
      if (skipped || row.cells.every((cell) => cellText(cell) === null)) continue;
      if (!layout) {
        let found: SheetLayout | string;
        try {
          found = layoutOf(row.cells);
        } catch (error) {
          throw new ArtifactFormatError(
            'BAD_WORKBOOK_LAYOUT',
            `${options.artifact}: entry "${options.entry}", sheet "${sheet.name}": ${(error as Error).message}`,
            options.artifact,
          );
        }
        if (typeof found === 'string') {
          skipped = true;
          options.onSkippedSheet?.(sheet.name, found);
          continue;
        }
        layout = found;
        continue;
      }
      const cells = new Map<ColumnKey, CellValue>();
      for (const [column, key] of layout.known) cells.set(key, row.cells[column] ?? null);
      const unknown: [string, CellValue][] = [];
      for (const [column, header] of layout.unknown) unknown.push([header, row.cells[column] ?? null]);
      yield {
        cells,
        unknown,
        sheetApiType,
        sheet: sheet.name,
        number: row.number,
        where: `${options.artifact}: entry "${options.entry}", sheet "${sheet.name}", row ${row.number}`,
        artifact: options.artifact,
      };
    }
  }
}
