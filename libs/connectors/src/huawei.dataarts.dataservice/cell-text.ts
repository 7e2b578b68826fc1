import type { JsonValue } from '#catalog-model';
import type { CellValue } from './xlsx-sheet-reader.js';

/** A cell as text: trimmed, empty as null; numbers and booleans as Excel shows them. */
export function cellText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** A cell as JSON for vendorExtras: dates as ISO-8601, empty as null. */
export function cellJson(value: CellValue | undefined): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  return value;
}

export function cellBoolean(value: CellValue | undefined): boolean | null {
  if (typeof value === 'boolean') return value;
  const text = cellText(value)?.toLowerCase();
  if (text === undefined || text === null) return null;
  if (['true', '1', 'yes', 'y', '是', '开启', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'n', '否', '关闭', 'off'].includes(text)) return false;
  return null;
}

export function cellNumber(value: CellValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = cellText(value);
  if (text === null || !/^-?\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}

/** Days from Excel's epoch (1899-12-30) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET_DAYS = 25569;
const DAY_MS = 86_400_000;

/**
 * A time cell as ISO-8601 UTC, or null when it holds none. Accepted: an ISO-8601 string with a
 * zone; `YYYY-MM-DD HH:mm:ss` without one, read as China time (+08:00, the console's zone);
 * epoch milliseconds (the API's Long); an Excel date (a Date, or a serial number when the
 * reader ignores styles). Anything else is `undefined`: the caller keeps the raw text.
 */
export function cellInstant(value: CellValue | undefined): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'number') {
    if (value > 1e11) return new Date(value).toISOString();
    if (value > 0 && value < 2_958_466) return new Date(Math.round((value - EXCEL_EPOCH_OFFSET_DAYS) * DAY_MS)).toISOString();
    return undefined;
  }
  const text = cellText(value);
  if (text === null) return null;
  if (/^\d{12,14}$/.test(text)) return new Date(Number(text)).toISOString();
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text);
  const parsed = Date.parse(local ? `${local[1]}T${local[2]}+08:00` : text);
  if (Number.isNaN(parsed) || !(local || /(Z|[+-]\d{2}:?\d{2})$/i.test(text))) return undefined;
  return new Date(parsed).toISOString();
}
