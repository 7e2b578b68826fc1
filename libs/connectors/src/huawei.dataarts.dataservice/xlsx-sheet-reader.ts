import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { errorMessage } from '../error-message.js';
import { ArtifactFormatError } from '../errors.js';

/** A cell as the reader hands it on: dates stay dates, everything else is a JSON scalar. */
export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  /** 1-based, as Excel numbers rows. */
  number: number;
  /** Index 0 is column A; empty cells are null. */
  cells: CellValue[];
}

export interface WorkbookSheet {
  name: string;
  /** Read them before asking for the next sheet: the workbook is one stream. */
  rows: AsyncIterable<SheetRow>;
}

export interface XlsxLocation {
  /** The export the workbook came in, for messages. */
  artifact: string;
  /** The workbook's entry name in the export. */
  entry: string;
  /** Uncompressed sheet XML allowed in one workbook: exceljs inflates the workbook's parts itself. */
  maxSheetBytes: number;
}

/** exceljs internals the reader relies on (stable since 4.0): documented here, checked at use. */
interface WorksheetReaderInternals {
  name: string;
  iterator: AsyncIterable<Buffer | string>;
  [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row>;
}
interface WorkbookReaderInternals {
  model?: { sheets?: unknown[] };
  [Symbol.asyncIterator](): AsyncIterator<WorksheetReaderInternals>;
}

/** A sheet's XML ends with its closing tag; exceljs's SAX pass does not notice when it does not. */
const SHEET_END = /<\/(?:[A-Za-z_][\w.-]*:)?worksheet>\s*$/;

function plainCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return plainCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return plainCell(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return null;
}

/**
 * Works around a race in the unzipper exceljs embeds (0.10): its parser emits 'end' as soon as
 * its *input* has ended, while it may still be parsing the last entries from its buffer. When a
 * whole workbook arrives at once (a small one, read from a local file), exceljs stops at that
 * early 'end' and silently drops the last parts: `xl/workbook.xml`, which streaming writers put
 * last (sheet names lost), or a sheet. So the early 'end' is held back; the parser ends for real
 * (push(null), after its last entry) when it reaches the end of the central directory, and
 * fails with FILE_ENDED when the input stops before that.
 */
function holdUnzipperEndUntilParsed(feed: PassThrough): void {
  const pipe = feed.pipe.bind(feed);
  feed.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const parser = destination as unknown as Readable;
    const emit = parser.emit.bind(parser);
    parser.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'end' && !parser.readableEnded) return false;
      return emit(event, ...args);
    }) as typeof parser.emit;
    return pipe(destination, options);
  };
}

/**
 * Reads an `.xlsx` from a stream, sheet by sheet and row by row, with exceljs's streaming reader
 * (memory stays flat whatever the workbook size). It refuses, as ArtifactFormatError
 * `BAD_WORKBOOK` naming the entry, what exceljs alone would let through or hang on: a stream
 * that fails (the error is passed on as it is), a workbook without a workbook part, a sheet
 * whose XML stops before its end, sheets missing from the declared list, sheets inflating past
 * `maxSheetBytes`.
 */
export async function* readXlsxSheets(source: Readable, where: XlsxLocation): AsyncGenerator<WorkbookSheet> {
  const refuse = (what: string, cause?: unknown) =>
    new ArtifactFormatError('BAD_WORKBOOK', `${where.artifact}: entry "${where.entry}" is not a readable xlsx workbook: ${what}`, where.artifact, { cause });

  // exceljs pipes its input into its unzipper, and pipe() does not pass errors on: an input
  // that fails would leave it waiting forever. So the input goes through a PassThrough that
  // ends when the source fails; the source's error is what gets thrown.
  let sourceError: unknown;
  const feed = new PassThrough();
  source.once('error', (error) => {
    sourceError ??= error;
    feed.end();
  });
  source.pipe(feed);
  holdUnzipperEndUntilParsed(feed);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookReaderInternals;

  // What any failure becomes: the source's own error first (a zip limit, a truncated export).
  const translate = (error: unknown): unknown => {
    if (sourceError) return sourceError;
    if (error instanceof ArtifactFormatError) return error;
    return refuse(errorMessage(error), error);
  };

  let sheetBytes = 0;
  let sheetsRead = 0;
  const guardedSheetXml = async function* (xml: AsyncIterable<Buffer | string>, sheet: string): AsyncGenerator<Buffer | string> {
    let tail = '';
    for await (const chunk of xml) {
      sheetBytes += chunk.length;
      if (sheetBytes > where.maxSheetBytes) throw refuse(`its sheets inflate past ${where.maxSheetBytes} bytes`);
      tail = (tail + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'))).slice(-64);
      yield chunk;
    }
    if (!SHEET_END.test(tail)) throw refuse(`sheet "${sheet}" ends before its closing tag (truncated XML)`);
  };

  try {
    for await (const worksheet of reader) {
      if (sourceError) break;
      sheetsRead++;
      const name = worksheet.name;
      if (!worksheet.iterator || typeof worksheet.iterator[Symbol.asyncIterator] !== 'function') {
        throw new Error('exceljs WorksheetReader no longer exposes its input; the workbook reader needs updating');
      }
      worksheet.iterator = guardedSheetXml(worksheet.iterator, name);
      yield {
        name,
        rows: (async function* () {
          try {
            for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
              const values = row.values as ExcelJS.CellValue[];
              const cells: CellValue[] = [];
              for (let column = 1; column < values.length; column++) cells.push(plainCell(values[column]));
              yield { number: row.number, cells };
            }
          } catch (error) {
            throw translate(error);
          }
          if (sourceError) throw sourceError;
        })(),
      };
    }
  } catch (error) {
    throw translate(error);
  } finally {
    // Also when the caller stops early: exceljs, fed to the end, finishes what it was writing
    // (its temp files) instead of waiting on an input that never comes.
    source.destroy();
    if (!feed.writableEnded) feed.end();
  }
  if (sourceError) throw sourceError;
  const declared = reader.model?.sheets;
  if (!declared) throw refuse('it has no workbook part (xl/workbook.xml)');
  if (declared.length !== sheetsRead) throw refuse(`it declares ${declared.length} sheet(s) but holds ${sheetsRead}`);
}
