import { writeZip } from '../zip/deterministic-zip.js';
import type { DataServiceApi } from './dataservice-api.js';
import type { ExportLocale } from './dataservice-state.js';
import { renderWorkbookTemplate, stampWorkbook, type WorkbookTemplate } from './export-workbook.js';
import { APIS_PER_WORKBOOK, workbookEntryName } from './workbook-layout.js';

export interface ExportWorkbook {
  name: string;
  data: Buffer;
}

/** The workbooks of an export, before the export time: the APIs in order, at most APIS_PER_WORKBOOK per workbook. */
export async function renderExportTemplates(apis: readonly DataServiceApi[], locale: ExportLocale): Promise<WorkbookTemplate[]> {
  const templates: WorkbookTemplate[] = [];
  for (let start = 0; start < apis.length; start += APIS_PER_WORKBOOK) {
    templates.push(await renderWorkbookTemplate(apis.slice(start, start + APIS_PER_WORKBOOK), locale));
  }
  return templates;
}

export function stampExportWorkbooks(templates: readonly WorkbookTemplate[], exportTime: Date): ExportWorkbook[] {
  return templates.map((template, index) => ({ name: workbookEntryName(index), data: stampWorkbook(template, exportTime) }));
}

/** The zip the vendor sends: one entry per workbook, every time in it the export time. */
export function zipWorkbooks(workbooks: readonly ExportWorkbook[], exportTime: Date): Buffer {
  return writeZip(
    workbooks.map((workbook) => ({ name: workbook.name, data: workbook.data })),
    { modified: exportTime },
  );
}

/**
 * The corrupt-workbook fault: the last workbook cut in half (the outer zip stays valid, its entry
 * is no longer a readable xlsx); an empty export gets one workbook that is not an xlsx at all.
 */
export function withCorruptWorkbook(workbooks: readonly ExportWorkbook[]): ExportWorkbook[] {
  if (workbooks.length === 0) return [{ name: workbookEntryName(0), data: Buffer.from('this is not a workbook') }];
  const last = workbooks[workbooks.length - 1];
  return [...workbooks.slice(0, -1), { name: last.name, data: last.data.subarray(0, Math.floor(last.data.length / 2)) }];
}
