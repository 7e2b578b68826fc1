import { randomUUID } from 'node:crypto';
import { openMigratedTestDatabase, testDatabaseTargets } from '../../../../test/support/test-databases.js';
import type { Database } from '../database/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import { bulkInsert, bulkUpdate, textArrayLiteral, type BulkColumn } from './bulk-rows.js';

interface Row {
  id: string;
  n: number | null;
  doc: unknown;
  tags: string[];
  note: string | null;
}

const COLUMNS: BulkColumn<Row>[] = [
  { name: 'id', type: 'uuid', value: (r) => r.id },
  { name: 'n', type: 'int', value: (r) => (r.n === null ? null : String(r.n)) },
  { name: 'doc', type: 'jsonb', value: (r) => JSON.stringify(r.doc) },
  { name: 'tags', type: 'text[]', value: (r) => textArrayLiteral(r.tags) },
  { name: 'note', type: 'text', value: (r) => r.note },
];

/** Text that breaks naive array literals or SQL: separators, braces, quotes, escapes, the word NULL. */
const AWKWARD = ['a,b', '{x}', 'say "hi"', 'back\\slash', 'NULL', '', ' spaced ', '订单 API', "it's"];

describe.each(testDatabaseTargets)('bulk rows on $name', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  /** The transaction client the writer passes, counting the statements sent. */
  let statements: number;
  const counted = (): Prisma.TransactionClient =>
    ({
      $executeRawUnsafe: (sql: string, ...params: unknown[]) => {
        statements++;
        return db.prisma.$executeRawUnsafe(sql, ...params);
      },
    }) as unknown as Prisma.TransactionClient;

  beforeAll(async () => {
    ({ db, drop } = await openMigratedTestDatabase(target));
    await db.prisma.$executeRawUnsafe('CREATE TABLE bulk_rows_test (id uuid PRIMARY KEY, n int, doc jsonb NOT NULL, tags text[] NOT NULL, note text)');
  });
  afterAll(() => drop());
  beforeEach(async () => {
    statements = 0;
    await db.prisma.$executeRawUnsafe('DELETE FROM bulk_rows_test');
  });

  const stored = async () =>
    db.prisma.$queryRawUnsafe<Row[]>('SELECT id::text AS id, n, doc, tags, note FROM bulk_rows_test ORDER BY n NULLS LAST, id');

  it('writes text arrays that PostgreSQL reads back element for element', async () => {
    const [row] = await db.prisma.$queryRawUnsafe<{ tags: string[] }[]>('SELECT $1::text[] AS tags', textArrayLiteral(AWKWARD));
    expect(row.tags).toEqual(AWKWARD);
    expect(textArrayLiteral([])).toBe('{}');
  });

  it('inserts every row exactly, nulls included, in chunks within the limits', async () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({
      id: randomUUID(),
      n: i === 9 ? null : i,
      doc: { i, text: AWKWARD[i % AWKWARD.length], nested: [{ deep: true }] },
      tags: AWKWARD.slice(0, i % 4),
      note: i % 2 ? null : AWKWARD[i % AWKWARD.length],
    }));
    expect(await bulkInsert(counted(), 'bulk_rows_test', COLUMNS, rows, { maxRows: 3, maxChars: 1_000_000 })).toBe(10);
    expect(statements).toBe(4);
    expect(await stored()).toEqual(rows);

    // A chunk also ends when its text passes maxChars: one large row goes alone.
    await db.prisma.$executeRawUnsafe('DELETE FROM bulk_rows_test');
    statements = 0;
    const large = rows.map((r, i) => ({ ...r, doc: { ...(r.doc as object), pad: 'x'.repeat(i === 4 ? 5000 : 10) } }));
    expect(await bulkInsert(counted(), 'bulk_rows_test', COLUMNS, large, { maxRows: 100, maxChars: 4000 })).toBe(10);
    expect(statements).toBe(2);
    expect(await stored()).toEqual(large);
  });

  it('sends nothing for no rows', async () => {
    expect(await bulkInsert(counted(), 'bulk_rows_test', COLUMNS, [])).toBe(0);
    await bulkUpdate(counted(), 'bulk_rows_test', COLUMNS, []);
    expect(statements).toBe(0);
  });

  it('updates the rows named by the key column, and only those', async () => {
    const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({ id: randomUUID(), n: i, doc: { i }, tags: [], note: null }));
    await bulkInsert(counted(), 'bulk_rows_test', COLUMNS, rows);
    const changed = [rows[1], rows[3]].map((r) => ({ ...r, doc: { edited: true }, tags: ['x,y'], note: 'say "hi"' }));
    statements = 0;
    await bulkUpdate(counted(), 'bulk_rows_test', COLUMNS, changed, { maxRows: 1, maxChars: 1_000_000 });
    expect(statements).toBe(2);
    expect(await stored()).toEqual([rows[0], changed[0], rows[2], changed[1], rows[4]]);
  });
});
