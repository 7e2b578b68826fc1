#!/usr/bin/env node
// Dev tool: print the SQL that `prisma migrate diff` would generate, offline.
//
// The Prisma CLI needs a downloaded schema-engine binary for `migrate diff/dev/deploy`, which we
// cannot fetch here. This script drives the same engine compiled to WebAssembly
// (`@prisma/schema-engine-wasm`, an internal Prisma API: keep it out of runtime code) with a
// driver adapter, and prints the diff script to stdout.
//
// Equivalent to:
//   prisma migrate diff --from-migrations prisma/migrations --to-schema prisma/schema.prisma --script
//   prisma migrate diff --from-empty --to-schema prisma/schema.prisma --script   (with --from-empty)
//
// Usage:
//   node scripts/migration-sql.mjs [--from-empty] [--schema <file>] [--migrations <dir>]
//                                  [--url <postgresql://...>] [--engine-wasm <file>] [--exit-code]
//
// Shadow database (only used with the migrations directory as source: the engine replays the
// migrations there and introspects the result):
//   - default: an in-memory PGlite (no server needed);
//   - --url postgresql://...: a real PostgreSQL server through @prisma/adapter-pg; a throw-away
//     database `prisma_migrate_shadow_db_<uuid>` is created and dropped on it (needs CREATEDB).
//     Without a user in the URL: $PGUSER, else the OS user (like psql).
// A missing or empty migrations directory means "no migrations yet" (the first `migrate dev`).
// DEBUG=1 prints the engine's log lines and raw errors to stderr.
// --exit-code: exit 2 when the diff is not empty (like `prisma migrate diff --exit-code`).

import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  if (message) process.stderr.write(`migration-sql: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/migration-sql.mjs [--from-empty] [--schema <file>] [--migrations <dir>] ' +
      '[--url <postgresql://...>] [--engine-wasm <file>] [--exit-code]\n',
  );
  process.exit(message ? 1 : 0);
}

function parseArgs(argv) {
  const opts = {
    fromEmpty: false,
    schema: path.join(root, 'prisma/schema.prisma'),
    migrations: path.join(root, 'prisma/migrations'),
    url: undefined,
    engineWasm: undefined,
    exitCode: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--from-empty': opts.fromEmpty = true; break;
      case '--schema': opts.schema = path.resolve(value()); break;
      case '--migrations': opts.migrations = path.resolve(value()); break;
      case '--url': opts.url = value(); break;
      case '--engine-wasm': opts.engineWasm = path.resolve(value()); break;
      case '--exit-code': opts.exitCode = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  return opts;
}

// `@prisma/schema-engine-wasm`'s entry point does `import * as wasm from './schema_engine_bg.wasm'`,
// which Node 20 only supports behind --experimental-wasm-modules. Instantiate it by hand instead:
// this is what the entry point does, spelled out.
async function loadSchemaEngineWasm(wasmPath) {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  // package.json is not in the package's "exports": locate the directory through the glue module.
  const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const pkg = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'));
  const file = wasmPath ?? path.join(pkgDir, 'schema_engine_bg.wasm');
  const module = new WebAssembly.Module(await readFile(file));
  const missing = WebAssembly.Module.imports(module)
    .filter((imp) => imp.module === './schema_engine_bg.js' && typeof bg[imp.name] !== 'function')
    .map((imp) => imp.name);
  if (missing.length > 0) {
    throw new Error(
      `${file} does not match the JS glue of @prisma/schema-engine-wasm@${pkg.version} ` +
        `(missing imports: ${missing.slice(0, 5).join(', ')}...)`,
    );
  }
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return { SchemaEngine: bg.SchemaEngine, version: bg.version(), packageVersion: pkg.version, file };
}

// Same shape as the CLI's listMigrations(): directories sorted by name, each with migration.sql.
async function listMigrations(baseDir, provider) {
  const lockfilePath = 'migration_lock.toml';
  let lockfileContent = await readFile(path.join(baseDir, lockfilePath), 'utf8').catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const content = await readFile(path.join(baseDir, entry.name, 'migration.sql'), 'utf8')
      .then((value) => ({ tag: 'ok', value }))
      .catch((error) => ({ tag: 'error', value: String(error?.message ?? error) }));
    migrationDirectories.push({
      path: entry.name,
      migrationFile: { path: 'migration.sql', content },
    });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  if (lockfileContent === null && migrationDirectories.length === 0) {
    // No migrations yet: the engine still wants the lock file to pick its connector. Use the
    // one `prisma migrate dev` would write, so the output is that of a first `migrate dev`.
    process.stderr.write(`migration-sql: no migrations in ${path.relative(root, baseDir) || '.'}, diffing from an empty shadow database\n`);
    lockfileContent = `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
  }
  return {
    baseDir,
    lockfile: { path: lockfilePath, content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

function datasourceProvider(schema) {
  const match = /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]+)"/.exec(schema);
  return match?.[1] ?? 'postgresql';
}

// A postgresql:// URL as discrete pg options: adapter-pg builds the shadow database pool as
// `{ ...config, database }`, and pg lets a `connectionString` override `database`, so passing the
// URL as a connectionString would replay the migrations into the main database instead.
function pgConfigFromUrl(url) {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error(`--url must be a postgresql:// URL, got ${u.protocol}`);
  const config = {
    host: decodeURIComponent(u.hostname) || undefined,
    port: u.port ? Number(u.port) : undefined,
    // Like libpq: no user in the URL means $PGUSER, else the OS user ($USER may be unset here).
    user: u.username ? decodeURIComponent(u.username) : process.env.PGUSER || os.userInfo().username,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: u.pathname.length > 1 ? decodeURIComponent(u.pathname.slice(1)) : undefined,
  };
  if (u.searchParams.has('host')) config.host = u.searchParams.get('host'); // unix socket
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode && sslmode !== 'disable') config.ssl = sslmode === 'no-verify' ? { rejectUnauthorized: false } : true;
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
}

async function createAdapterFactory(url) {
  if (url) {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { default: pg } = await import('pg');
    const config = pgConfigFromUrl(url);

    // @prisma/adapter-pg 7.10 rejects result columns of PostgreSQL's internal one-byte type
    // "char" (OID 18: pg_class.relkind, pg_constraint.contype, ...), which the engine's schema
    // introspection selects: "Column type 'char' could not be deserialized from the database".
    // Report them as text (OID 25): pg already parses both as plain strings.
    class CharAsTextPool extends pg.Pool {
      async query(...args) {
        if (typeof args[args.length - 1] === 'function') return super.query(...args);
        const result = await super.query(...args);
        for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
        return result;
      }
    }
    const adapterFactory = (database) =>
      new PrismaPg(new CharAsTextPool({ ...config, database }), { disposeExternalPool: true });

    // @prisma/adapter-pg 7.10's connectToShadowDb() drops the shadow database *before* closing
    // its pool, so the DROP fails ("being accessed by other users") and the database leaks.
    // Same flow (throw-away prisma_migrate_shadow_db_<uuid>), closing the pool first.
    const admin = async (sql) => {
      const client = new pg.Client(config);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const factory = adapterFactory(config.database);
    factory.connectToShadowDb = async () => {
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await admin(`CREATE DATABASE "${database}"`);
      const adapter = await adapterFactory(database).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        try {
          await dispose();
        } finally {
          await admin(`DROP DATABASE IF EXISTS "${database}"`);
        }
      };
      return adapter;
    };
    return factory;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  // The same extensions the service loads (libs/catalog/src/database/database.ts). The adapter's
  // own connectToShadowDb() creates a bare PGlite, where CREATE EXTENSION pg_trgm fails (and its
  // executeScript swallows that error): give the shadow database the extensions too.
  const factory = new PrismaPGlite(new PGlite({ extensions: { pg_trgm } }));
  factory.connectToShadowDb = () => new PrismaPGlite(new PGlite({ extensions: { pg_trgm } })).connect();
  return factory;
}

// If the engine hands back an error that carries an id into the adapter's error registry
// (errors thrown by the driver itself), show the original error; otherwise the engine's own.
function unwrapAdapterError(adapter, error) {
  if (process.env.DEBUG) process.stderr.write(`[schema-engine] raw error: ${require('node:util').inspect(error)}\n`);
  const id = error?.id ?? error?.cause?.id;
  const record = typeof id === 'number' ? adapter.errorRegistry.consumeError(id) : undefined;
  return record?.error ?? error;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const schemaContent = await readFile(opts.schema, 'utf8');
  const schemaFiles = [{ path: opts.schema, content: schemaContent }];

  const engineWasm = await loadSchemaEngineWasm(opts.engineWasm);
  process.stderr.write(
    `migration-sql: schema engine ${engineWasm.version} (@prisma/schema-engine-wasm@${engineWasm.packageVersion}` +
      `${opts.engineWasm ? `, wasm ${path.relative(root, engineWasm.file)}` : ''})\n`,
  );

  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const adapter = bindMigrationAwareSqlAdapterFactory(await createAdapterFactory(opts.url));

  const debug = process.env.DEBUG ? (line) => process.stderr.write(`[schema-engine] ${line}\n`) : () => {};
  let engine;
  try {
    engine = await engineWasm.SchemaEngine.new({ datamodels: [[opts.schema, schemaContent]] }, debug, adapter);
  } catch (error) {
    throw unwrapAdapterError(adapter, error);
  }

  try {
    const from = opts.fromEmpty ? { tag: 'empty' } : { tag: 'migrations', ...(await listMigrations(opts.migrations, datasourceProvider(schemaContent))) };
    // Note: keep `engine.diff(...)` as a method call: detaching it loses the wasm pointer.
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: schemaFiles },
      script: true,
      exitCode: opts.exitCode,
      filters: { externalTables: [], externalEnums: [] },
    });
    if (result.stdout) process.stdout.write(result.stdout);
    process.exitCode = result.exitCode;
  } catch (error) {
    throw unwrapAdapterError(adapter, error);
  } finally {
    engine.free();
  }
}

main().then(
  // The engine does not dispose the adapter's pool (pg keeps idle clients for 10 s): exit once
  // stdout is flushed instead of waiting for it.
  () => process.stdout.write('', () => process.exit()),
).catch((error) => {
  const code = error?.code ? `${error.code}: ` : '';
  process.stderr.write(`migration-sql: ${code}${String(error?.message ?? error).trim()}\n`);
  if (process.env.DEBUG && error?.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
