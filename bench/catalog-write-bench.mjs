// Part (e) of the backup benchmark: apivault's catalog write of a full run beside a bare bulk
// insert of the very same rows with plain SQL, in the same run, on the same server.
//
// Each source of the measured first backup is written again, into a fresh database, by
// CatalogRunWriter.apply (what the run engine calls: plan by content hash, diffs, items, versions,
// change events, one transaction), from the entries that backup cataloged. The rows it wrote are
// then inserted into another fresh database by a bare `pg` client: per source one transaction of
// `INSERT ... SELECT FROM unnest($1::text[], ...)`, one array per column. Both databases are
// migrated (same indexes), and both sides start from the same source, run and artifact rows.
import pg from 'pg';
import { CatalogRunWriter, COMPLETE_RUN, itemKey, openDatabase } from '#catalog';

const CATALOG_TABLES = ['catalog_items', 'catalog_versions', 'change_events'];

/** The rows of `table` matching `where`, copied as they are (not timed: set-up). */
async function copyRows(from, to, table, where, params) {
  const { rows } = await from.query(`SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') AS rows FROM ${table} t WHERE ${where}`, params);
  await to.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [JSON.stringify(rows[0].rows)]);
}

/** Column names and SQL types of a table, in order. */
async function columnsOf(client, table) {
  const { rows } = await client.query(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows;
}

async function freshDatabase(admin, baseUrl, name) {
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ type: 'postgres', url: url.toString() });
  await db.migrate();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return { name, db, client };
}

/** What both sides start from: the credentials, sources, runs and artifacts of the measured runs. */
async function seedContext(from, to, runs) {
  const sourceIds = [...new Set(runs.map((r) => r.sourceId))];
  await copyRows(from, to, 'credentials', 'true', []);
  await copyRows(from, to, 'sources', 'id = ANY($1::uuid[])', [sourceIds]);
  await copyRows(from, to, 'runs', 'id = ANY($1::uuid[])', [runs.map((r) => r.runId)]);
  await copyRows(from, to, 'artifacts', 'true', []);
}

/** The entries a run cataloged, as the engine handed them to the writer. */
async function entriesOf(from, runId) {
  const { rows } = await from.query(
    `SELECT i.kind, i.external_id, i.name, i.scope, v.document, v.redacted_paths, v.artifact_sha256, v.locator
     FROM catalog_versions v JOIN catalog_items i ON i.id = v.item_id WHERE v.run_id = $1`,
    [runId],
  );
  const entries = new Map();
  for (const row of rows) {
    entries.set(itemKey(row.kind, row.external_id), {
      kind: row.kind,
      externalId: row.external_id,
      name: row.name,
      scope: row.scope,
      document: row.document,
      redactedPaths: row.redacted_paths ?? [],
      origin: row.locator === null ? { artifactSha256: row.artifact_sha256 } : { artifactSha256: row.artifact_sha256, locator: row.locator },
    });
  }
  return entries;
}

/** The rows of one run in one table, one text array per column (NULLs kept). */
async function rowsAsColumns(client, table, columns, where, params) {
  const { rows } = await client.query({ text: `SELECT ${columns.map((c) => `"${c.name}"::text`).join(', ')} FROM ${table} WHERE ${where}`, values: params, rowMode: 'array' });
  return { count: rows.length, arrays: columns.map((_, i) => rows.map((row) => row[i])) };
}

function bareInsertSql(table, columns) {
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const casts = columns.map((c, i) => `c${i}::${c.type}`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${arrays}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
}

/**
 * @param admin a pg client on the server's maintenance database (creates and drops the two databases)
 * @param baseUrl the server's URL; @param from a pg client on the benchmark's database
 * @param runs [{source, sourceId, runId}] the runs of the measured first backup
 */
export async function compareCatalogWrite({ admin, baseUrl, from, runs, prefix }) {
  const writerSide = await freshDatabase(admin, baseUrl, `${prefix}_writer`);
  const bareSide = await freshDatabase(admin, baseUrl, `${prefix}_bare`);
  const perSource = [];
  try {
    await seedContext(from, writerSide.client, runs);
    await seedContext(from, bareSide.client, runs);
    const writer = new CatalogRunWriter(writerSide.db.prisma);
    const columns = {};
    for (const table of CATALOG_TABLES) columns[table] = await columnsOf(bareSide.client, table);

    for (const run of runs) {
      const entries = await entriesOf(from, run.runId);
      if (entries.size === 0) continue;
      let started = performance.now();
      const result = await writer.apply({ runId: run.runId, sourceId: run.sourceId, entries, incomplete: COMPLETE_RUN, guard: null });
      const writerMs = performance.now() - started;
      if (result.added !== entries.size) throw new Error(`${run.source}: the writer added ${result.added} of ${entries.size} entries`);

      const where = { catalog_items: ['source_id = $1', [run.sourceId]], catalog_versions: ['run_id = $1', [run.runId]], change_events: ['run_id = $1', [run.runId]] };
      const data = {};
      for (const table of CATALOG_TABLES) data[table] = await rowsAsColumns(writerSide.client, table, columns[table], ...where[table]);
      started = performance.now();
      await bareSide.client.query('BEGIN');
      for (const table of CATALOG_TABLES) await bareSide.client.query(bareInsertSql(table, columns[table]), data[table].arrays);
      await bareSide.client.query('COMMIT');
      const bareMs = performance.now() - started;
      perSource.push({ source: run.source, versions: entries.size, rows: CATALOG_TABLES.reduce((sum, t) => sum + data[t].count, 0), writerMs: Math.round(writerMs), bareMs: Math.round(bareMs) });
    }
  } finally {
    for (const side of [writerSide, bareSide]) {
      await side.client.end();
      await side.db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${side.name} WITH (FORCE)`);
    }
  }
  const sum = (key) => perSource.reduce((total, s) => total + s[key], 0);
  return { versions: sum('versions'), rows: sum('rows'), writerMs: sum('writerMs'), bareMs: sum('bareMs'), ratio: round2(sum('writerMs') / sum('bareMs')), perSource };
}

export const round2 = (n) => Math.round(n * 100) / 100;
