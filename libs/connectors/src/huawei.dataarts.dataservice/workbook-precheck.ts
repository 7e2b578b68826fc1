import { readZipEntries } from '../archive-formats/safe-zip-reader.js';
import { printableEntryName } from '../archive-formats/zip-entry-name.js';
import type { ZipLimits } from '../archive-formats/zip-limits.js';
import { ArtifactFormatError } from '../errors.js';

/** Declarations no workbook part has, and that XML bombs and external entities need. */
const DTD_DECLARATION = /<!(DOCTYPE|ENTITY)/i;
const DECLARATION_OVERLAP = 16;
const WORKBOOK_PART = 'xl/workbook.xml';

export interface WorkbookPrecheckLocation {
  /** The export the workbook came in. */
  artifact: string;
  /** The workbook's entry name in the export, printable. */
  entry: string;
}

/**
 * Checks an .xlsx workbook's own zip before exceljs reads it. exceljs inflates a workbook's parts
 * itself, without any limit, and copies its worksheets to temp files when the workbook has no
 * shared strings (DataService's have none): a 1 MiB workbook whose sheet inflates to gigabytes
 * would fill the disk, slowly. So every part is inflated once here through the safe zip reader
 * (entry size, compression ratio, total size, CRC-32, names), and its XML searched for DOCTYPE and
 * ENTITY declarations; the workbook part must be there too (exceljs fails on a TypeError
 * without it). What passes is within the limits when exceljs reads the same bytes.
 */
export async function precheckWorkbook(workbook: Buffer, where: WorkbookPrecheckLocation, limits: Partial<ZipLimits>): Promise<void> {
  const refuse = (what: string, cause?: unknown) =>
    new ArtifactFormatError('BAD_WORKBOOK', `${where.artifact}: entry "${where.entry}" is not a readable xlsx workbook: ${what}`, where.artifact, { cause });
  let hasWorkbookPart = false;
  try {
    for await (const part of readZipEntries(workbook, { limits, artifactName: 'the workbook' })) {
      if (part.isDirectory) continue;
      if (part.name === WORKBOOK_PART) hasWorkbookPart = true;
      let tail = '';
      for await (const chunk of await part.openStream()) {
        const text = tail + (chunk as Buffer).toString('latin1');
        if (DTD_DECLARATION.test(text)) {
          throw refuse(`part "${printableEntryName(part.name)}" declares a DOCTYPE or entities (no workbook does; XML bombs and external entities do)`);
        }
        tail = text.slice(-DECLARATION_OVERLAP);
      }
    }
  } catch (error) {
    // The zip reader's reason (a bomb, a cut, a bad name), said of the workbook in the export.
    if (error instanceof ArtifactFormatError && error.code !== 'BAD_WORKBOOK') throw refuse(error.message, error);
    throw error;
  }
  if (!hasWorkbookPart) throw refuse(`it has no workbook part (${WORKBOOK_PART})`);
}
