import { z } from 'zod';
import { ValidationError } from './app-errors.js';

/**
 * Opaque page cursors: the position of the last row of a page, as base64url JSON. Clients pass
 * `nextCursor` back as `cursor` and never look inside.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(schema: T, cursor: string | undefined): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationError('query parameter cursor: not a cursor this list returned', { field: 'cursor' });
  return result.data;
}

/** One page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cuts the `limit + 1` rows a repository returned into a page and the cursor after it. */
export function toPage<Row, View>(rows: Row[], limit: number, view: (row: Row) => View, position: (row: Row) => Record<string, string | number>): Page<View> {
  const pageRows = rows.slice(0, limit);
  return { items: pageRows.map(view), nextCursor: rows.length > limit ? encodeCursor(position(pageRows[pageRows.length - 1]!)) : null };
}
