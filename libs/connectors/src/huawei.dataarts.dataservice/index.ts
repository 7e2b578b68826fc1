export * from './dataservice-config.js';
export * from './dataservice-connector.js';
export { DEFAULT_EXPORT_LIMIT_BACKOFF, isExportLimitAnswer, type ExportLimitBackoff } from './export-limit-wait.js';
export { COLUMN_HEADERS, columnKeyOf, normalizeHeader, type ColumnKey } from './workbook-columns.js';
export { readXlsxSheets, type CellValue, type SheetRow, type WorkbookSheet } from './xlsx-sheet-reader.js';
export { readApiRows } from './workbook-api-rows.js';
export { mapApiRow, type ApiRow } from './dataservice-api-document.js';
