import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { appSettingsFromEnv, type AppSettings } from '../config/app-settings.js';
import { createCliContext, createHttpApp } from '../core/bootstrap.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { runDemo } from '../demo/demo.js';
import { createLogger } from '../logging/logger.js';
import { BackupService } from '../runs/backup.service.js';
import { RunsService } from '../runs/runs.service.js';
import { SourcesService } from '../sources/sources.service.js';
import { printJson, printTable } from './output.js';
import { readStdin } from './read-stdin.js';

interface Env {
  settings: AppSettings;
  logger: Logger;
}

function environment(fd: 1 | 2): Env {
  const settings = appSettingsFromEnv();
  return { settings, logger: createLogger({ level: settings.logLevel, fd }) };
}

/** Boots the services without HTTP, runs the command, always closes (PGlite must be closed). */
async function withContext<T>(fn: (ctx: INestApplicationContext, env: Env) => Promise<T>): Promise<T> {
  const env = environment(2);
  const ctx = await createCliContext(env);
  try {
    return await fn(ctx, env);
  } finally {
    await ctx.close();
  }
}

function parseJsonOption(value: string, what: string): unknown {
  const text = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

export function buildCli(): Command {
  const program = new Command('apivault')
    .description('Backs up API catalogs from Huawei Cloud and Alibaba Cloud into one versioned catalog')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the daemon and the admin REST API (HOST, PORT; default 127.0.0.1:8080)')
    .action(async () => {
      const env = environment(1);
      const app = await createHttpApp(env);
      await app.listen(env.settings.http.port, env.settings.http.host);
      env.logger.info({ url: await app.getUrl() }, 'apivault listening');
    });

  program
    .command('backup')
    .description('back up sources now (all enabled sources when none is named); exits 1 if any run failed')
    .argument('[sources...]', 'source names or ids')
    .option('--json', 'print the finished runs as JSON')
    .action(async (names: string[], opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const sources = ctx.get(SourcesService);
        const backups = ctx.get(BackupService);
        const targets = names.length > 0 ? names : (await sources.list()).filter((s) => s.enabled).map((s) => s.name);
        if (targets.length === 0) throw new Error('no sources configured: add one with `apivault sources add`');
        const runs = [];
        for (const name of targets) runs.push({ source: name, run: await backups.runToCompletion(name, 'cli') });
        if (opts.json) printJson(runs);
        else printTable(runs.map(({ source, run }) => ({ source, run: run.id, status: run.status, ...(run.stats as object), error: (run.error as { message?: string } | null)?.message })), ['source', 'run', 'status', 'added', 'modified', 'removed', 'unchanged', 'artifactsNew', 'error']);
        if (runs.some(({ run }) => run.status !== 'succeeded')) process.exitCode = 1;
      });
    });

  const sources = program.command('sources').description('configured vendor exports');
  sources
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const rows = await ctx.get(SourcesService).list();
        if (opts.json) printJson(rows);
        else printTable(rows, ['name', 'kind', 'id', 'enabled', 'updatedAt']);
      });
    });
  sources
    .command('add')
    .description('create or update a source by name')
    .requiredOption('--name <name>', 'unique source name')
    .requiredOption('--kind <kind>', 'connector kind, e.g. huawei.dataarts.dlf.connections')
    .requiredOption('--config <json>', 'connector configuration as JSON, or @file.json')
    .option('--credential <name>', 'credential to use (see `apivault credentials set`)')
    .action(async (opts: { name: string; kind: string; config: string; credential?: string }) => {
      await withContext(async (ctx) => {
        const source = await ctx.get(SourcesService).upsert({ name: opts.name, kind: opts.kind, config: parseJsonOption(opts.config, '--config'), credentialName: opts.credential });
        printJson({ id: source.id, name: source.name, kind: source.kind });
      });
    });

  program
    .command('credentials')
    .description('vendor credentials, encrypted at rest')
    .command('set')
    .description('create or replace a credential; the secret is JSON, e.g. {"type":"huawei-aksk","accessKeyId":"...","secretAccessKey":"..."}, read from stdin or --from-file')
    .argument('<name>')
    .option('--from-file <path>', 'read the secret JSON from this file (e.g. a mounted secret) instead of stdin')
    .action(async (name: string, opts: { fromFile?: string }) => {
      const secret = opts.fromFile ? parseJsonOption(`@${opts.fromFile}`, opts.fromFile) : parseJsonOption(await readStdin(), 'stdin');
      await withContext(async (ctx) => printJson(await ctx.get(CredentialsService).upsert(name, secret)));
    });

  const runs = program.command('runs').description('backup runs');
  runs
    .command('list')
    .option('--source <id>', 'only runs of this source id')
    .addOption(new Option('--limit <n>', 'how many').default('20'))
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const page = await ctx.get(RunsService).list({ sourceId: opts.source, limit: Number(opts.limit) });
        if (opts.json) printJson(page);
        else printTable(page.items, ['id', 'sourceId', 'status', 'trigger', 'createdAt', 'finishedAt']);
      });
    });
  runs
    .command('show')
    .argument('<id>')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(RunsService).get(id)));
    });

  const catalog = program.command('catalog').description('the normalized catalog');
  catalog
    .command('list')
    .option('--source <id>', 'only items of this source id')
    .option('--removed', 'include removed items (tombstones)')
    .addOption(new Option('--limit <n>', 'how many').default('100'))
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; removed?: boolean; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const page = await ctx.get(CatalogService).listItems({ sourceId: opts.source, includeRemoved: opts.removed, limit: Number(opts.limit) });
        if (opts.json) printJson(page);
        else printTable(page.items, ['kind', 'externalId', 'name', 'removedAt', 'id']);
      });
    });
  catalog
    .command('show')
    .argument('<id>', 'catalog item id')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(CatalogService).getItem(id)));
    });

  program
    .command('migrate')
    .description('apply the database migrations and exit (the daemon also does this at start)')
    .action(async () => {
      await withContext(async () => undefined);
    });

  program
    .command('demo')
    .description('start vendor-sim, back up every demo source once on the embedded defaults, print a summary')
    .option('--serve', 'keep vendor-sim and the daemon running afterwards')
    .option('--seed <n>', 'vendor-sim seed', '42')
    .action(async (opts: { serve?: boolean; seed: string }) => {
      await runDemo({ serve: opts.serve === true, seed: Number(opts.seed) });
    });

  return program;
}
