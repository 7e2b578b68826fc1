import type { Prisma } from '../generated/prisma/client.js';

/** A value as it travels to PostgreSQL: its text form, cast to the column's type there. */
export type SqlText = string | null;

/** One column of a bulk statement: its name, its SQL type, and how a row gives its value. */
export interface BulkColumn<Row> {
  name: string;
  /** What the text is cast to: uuid, int, jsonb, text[], timestamptz(3), "ChangeType"... */
  type: string;
  value(row: Row): SqlText;
}

/**
 * Rows per statement, and text per statement, so that no side holds a whole source's serialized
 * rows at once. Small on purpose: the Prisma client keeps the parameters of about its last 120
 * raw statements alive (measured: 120 x 4 MB statements held 480 MB of heap after GC, 120 x 256 KB
 * held 30 MB; plain `pg` holds none), so the statement size bounds the heap a large write keeps.
 */
export interface BulkLimits {
  maxRows: number;
  maxChars: number;
}

export const DEFAULT_BULK_LIMITS: BulkLimits = { maxRows: 1000, maxChars: 256 * 1024 };

/**
 * A PostgreSQL array literal of text values (`{"a","b\"c"}`): every element quoted, so commas,
 * braces, quotes, backslashes and the word NULL all arrive as written.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** `SELECT c0::type0, c1::type1 ... FROM unnest($1::text[], $2::text[] ...) AS u(c0, c1 ...)`. */
function unnestSelect<Row>(columns: readonly BulkColumn<Row>[], named = false): string {
  const aliases = columns.map((_, i) => `c${i}`);
  const casts = columns.map((c, i) => `u.c${i}::${c.type}${named ? ` AS c${i}` : ''}`).join(', ');
  const arrays = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  return `SELECT ${casts} FROM unnest(${arrays}) AS u(${aliases.join(', ')})`;
}

/** Splits rows into chunks of column arrays within the limits (a row larger than maxChars goes alone). */
function* columnChunks<Row>(columns: readonly BulkColumn<Row>[], rows: Iterable<Row>, limits: BulkLimits): Generator<SqlText[][]> {
  let arrays: SqlText[][] = columns.map(() => []);
  let count = 0;
  let chars = 0;
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const value = columns[i].value(row);
      arrays[i].push(value);
      chars += value?.length ?? 0;
    }
    count++;
    if (count >= limits.maxRows || chars >= limits.maxChars) {
      yield arrays;
      arrays = columns.map(() => []);
      count = 0;
      chars = 0;
    }
  }
  if (count > 0) yield arrays;
}

/**
 * `INSERT INTO table (...) SELECT ... FROM unnest(...)`, one text array per column, in chunks.
 * Prisma's createMany costs several times the database's own work on large batches (its client
 * builds and checks every row); this sends the same rows as a handful of array parameters.
 * Returns the number of rows inserted.
 */
export async function bulkInsert<Row>(
  tx: Prisma.TransactionClient,
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: Iterable<Row>,
  limits: BulkLimits = DEFAULT_BULK_LIMITS,
): Promise<number> {
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')}) ${unnestSelect(columns)}`;
  let inserted = 0;
  for (const arrays of columnChunks(columns, rows, limits)) {
    await tx.$executeRawUnsafe(sql, ...arrays);
    inserted += arrays[0].length;
  }
  return inserted;
}

/**
 * `UPDATE table AS t SET col = u.col ... FROM (unnest ...) AS u WHERE t.key = u.key`, in chunks:
 * many rows changed by one statement per chunk instead of one round trip each. The first column
 * is the key; every other column is assigned.
 */
export async function bulkUpdate<Row>(
  tx: Prisma.TransactionClient,
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: Iterable<Row>,
  limits: BulkLimits = DEFAULT_BULK_LIMITS,
): Promise<void> {
  const [key, ...rest] = columns;
  const assignments = rest.map((c, i) => `"${c.name}" = u.c${i + 1}`).join(', ');
  const sql = `UPDATE "${table}" AS t SET ${assignments} FROM (${unnestSelect(columns, true)}) AS u WHERE t."${key.name}" = u.c0`;
  for (const arrays of columnChunks(columns, rows, limits)) await tx.$executeRawUnsafe(sql, ...arrays);
}
