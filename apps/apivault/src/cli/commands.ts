import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RunRepository } from '#catalog';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { appSettingsFromEnv, type AppSettings } from '../config/app-settings.js';
import { createCliContext, createHttpApp } from '../core/bootstrap.js';
import { CatalogHistoryService } from '../catalog/catalog-history.service.js';
import { CatalogSearchService } from '../catalog/catalog-search.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { CredentialsService } from '../credentials/credentials.service.js';
import { runDemo } from '../demo/demo.js';
import { createLogger } from '../logging/logger.js';
import { BackupService } from '../runs/backup.service.js';
import { HeldRunsService } from '../runs/held-runs.service.js';
import { OfflineParseService } from '../runs/offline-parse.service.js';
import { RunsService } from '../runs/runs.service.js';
import { parseBody } from '../http/request-body.js';
import { RunControlService } from '../run-control/run-control.service.js';
import { updateSourceBody } from '../sources/source-body.js';
import { SourcesService } from '../sources/sources.service.js';
import { registerSnapshotCommands } from '../snapshots/snapshot-commands.js';
import { ConfigApplierService } from '../config-file/config-applier.service.js';
import { prepareConfigFile, registerSecurityCommands } from './security-commands.js';
import { printJson, printTable } from './output.js';
import { startRunProgressBar, type RunProgressBar } from './progress-bar.js';
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

function instantOption(value: string, flag: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`${flag} must be an ISO-8601 instant, got "${value}"`);
  return at;
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
    .option('--config <file>', 'apivault.yaml to validate and apply at start (default: APIVAULT_CONFIG)')
    .action(async (opts: { config?: string }) => {
      // Validated in full before anything starts; its storage and retention become the environment.
      const declared = prepareConfigFile(opts.config);
      const env = environment(1);
      const app = await createHttpApp(env);
      if (declared) await app.get(ConfigApplierService).apply(declared.config, declared.file);
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
        const runRecords = ctx.get(RunRepository);
        const runs = [];
        for (const name of targets) {
          // On a terminal only: calls, artifacts, items and bytes of the run, redrawn in place.
          let progress: RunProgressBar | undefined;
          try {
            const run = await backups.runToCompletion(name, 'cli', (claimed) => {
              progress ??= startRunProgressBar({ runId: claimed.id, label: name, readStats: async (id) => (await runRecords.findById(id))?.stats ?? null });
            });
            runs.push({ source: name, run });
          } finally {
            await progress?.stop();
          }
        }
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
    .option('--schedule <cron>', 'back it up on this cron schedule (5 fields, or 6 with seconds first)')
    .option('--timezone <zone>', 'IANA time zone of the schedule (default UTC)')
    .option('--jitter <seconds>', 'start each scheduled run up to this many seconds after its slot')
    .action(async (opts: { name: string; kind: string; config: string; credential?: string; schedule?: string; timezone?: string; jitter?: string }) => {
      await withContext(async (ctx) => {
        const sources = ctx.get(SourcesService);
        const source = await sources.upsert({ name: opts.name, kind: opts.kind, config: parseJsonOption(opts.config, '--config'), credentialName: opts.credential });
        const schedule = parseBody(updateSourceBody, {
          schedule: opts.schedule,
          scheduleTimezone: opts.timezone,
          scheduleJitterSeconds: opts.jitter === undefined ? undefined : Number(opts.jitter),
        });
        const view = Object.values(schedule).some((v) => v !== undefined) ? await sources.update(source.id, schedule) : await sources.view(source.id);
        printJson({ id: view.id, name: view.name, kind: view.kind, schedule: view.schedule, scheduleTimezone: view.scheduleTimezone, scheduleJitterSeconds: view.scheduleJitterSeconds });
      });
    });
  for (const [command, paused] of [['pause', true], ['resume', false]] as const) {
    sources
      .command(command)
      .description(paused ? "stop the source's scheduled runs (manual runs still work)" : 'restart its scheduled runs from the next slot')
      .argument('<source>', 'source name or id')
      .action(async (name: string) => {
        await withContext(async (ctx) => {
          const view = await ctx.get(SourcesService).setSchedulePaused(name, paused);
          printJson({ name: view.name, schedule: view.schedule, schedulePaused: view.schedulePaused });
        });
      });
  }

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

  runs
    .command('cancel')
    .description('stop a queued or running run, on whichever replica runs it; the catalog is not changed')
    .argument('<id>')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(RunControlService).cancel(id, 'cli')));
    });
  runs
    .command('apply')
    .description('apply a run the guard held (the vendor really removed those items)')
    .argument('<id>')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(HeldRunsService).apply(id)));
    });
  runs
    .command('discard')
    .description('discard a held run; the catalog stays as it was')
    .argument('<id>')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(HeldRunsService).discard(id)));
    });

  program
    .command('changes')
    .description('the changes feed: added, modified, removed, restored items, oldest first')
    .option('--since <instant>', 'ISO-8601 instant')
    .option('--until <instant>', 'ISO-8601 instant')
    .option('--source <name-or-id>', 'only this source')
    .option('--breaking', 'only breaking changes')
    .addOption(new Option('--limit <n>', 'how many').default('100'))
    .option('--json', 'print JSON')
    .action(async (opts: { since?: string; until?: string; source?: string; breaking?: boolean; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const sourceId = opts.source ? (await ctx.get(SourcesService).get(opts.source)).id : undefined;
        const page = await ctx.get(CatalogHistoryService).changes({
          since: opts.since ? instantOption(opts.since, '--since') : undefined,
          until: opts.until ? instantOption(opts.until, '--until') : undefined,
          sourceId,
          breaking: opts.breaking ? true : undefined,
          limit: Number(opts.limit),
        });
        if (opts.json) printJson(page);
        else printTable(page.items.map((c) => ({ ...c, breaking: c.breaking ? 'BREAKING' : '' })), ['createdAt', 'type', 'breaking', 'kind', 'externalId', 'name']);
      });
    });

  program
    .command('search')
    .description('search the catalog: every word must match name, path, description or tags')
    .argument('[text...]')
    .option('--vendor <vendor>', 'huawei | alibaba')
    .option('--source <name-or-id>', 'only this source')
    .option('--kind <kind>', 'api | connection')
    .option('--method <method>', 'HTTP method')
    .option('--status <status>', 'published, unpublished, developing, ...')
    .option('--tag <tag>', 'items with this tag')
    .option('--auth-type <type>', 'app, iam, none, ...')
    .option('--as-of <instant>', 'search the catalog as it stood at this ISO-8601 instant')
    .addOption(new Option('--limit <n>', 'how many').default('50'))
    .option('--json', 'print JSON')
    .action(async (text: string[], opts: { vendor?: string; source?: string; kind?: string; method?: string; status?: string; tag?: string; authType?: string; asOf?: string; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const sourceId = opts.source ? (await ctx.get(SourcesService).get(opts.source)).id : undefined;
        const page = await ctx.get(CatalogSearchService).find({
          text: text.join(' '),
          vendor: opts.vendor,
          sourceId,
          kind: opts.kind,
          method: opts.method,
          status: opts.status,
          tag: opts.tag,
          authType: opts.authType,
          asOf: opts.asOf ? instantOption(opts.asOf, '--as-of') : undefined,
          sort: 'name',
          limit: Number(opts.limit),
        });
        if (opts.json) printJson(page);
        else printTable(page.items, ['kind', 'vendor', 'method', 'path', 'name', 'status', 'itemId']);
      });
    });

  program
    .command('diff')
    .description('what changed: between two versions of an item (--item ID --from SEQ --to SEQ), or between two runs or instants (--from RUN|INSTANT --to RUN|INSTANT [--source S])')
    .requiredOption('--from <ref>', 'version seq (with --item), run id or ISO-8601 instant')
    .requiredOption('--to <ref>', 'version seq (with --item), run id or ISO-8601 instant')
    .option('--item <id>', 'catalog item id')
    .option('--source <name-or-id>', 'only this source')
    .option('--json', 'print JSON')
    .action(async (opts: { from: string; to: string; item?: string; source?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const history = ctx.get(CatalogHistoryService);
        if (opts.item) {
          const diff = await history.diffVersions(opts.item, Number(opts.from), Number(opts.to));
          if (opts.json) printJson(diff);
          else process.stdout.write(`${diff.text}\n`);
          return;
        }
        const sourceId = opts.source ? (await ctx.get(SourcesService).get(opts.source)).id : undefined;
        const diff = await history.diffStates(opts.from, opts.to, sourceId);
        if (opts.json) printJson(diff);
        else {
          process.stdout.write(`${diff.summary.added} added, ${diff.summary.modified} modified, ${diff.summary.removed} removed, ${diff.summary.breaking} breaking\n`);
          for (const item of diff.items) process.stdout.write(`\n${item.change.toUpperCase()} ${item.kind} ${item.externalId} (${item.name})${item.breaking ? ' [BREAKING]' : ''}\n${item.text.replace(/^/gm, '  ')}\n`);
        }
      });
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
    .command('parse')
    .description('parse saved raw exports offline, with the same code path as a backup, and print the normalized entries as JSON')
    .requiredOption('--kind <kind>', 'connector kind, e.g. huawei.apig')
    .option('--config <json>', "the source's connector configuration (JSON or @file.json); some connectors need it to name items", '{}')
    .option('--scope <scope>', 'the part of the source the files cover (as a backup would record it)')
    .argument('<files...>')
    .action(async (files: string[], opts: { kind: string; config: string; scope?: string }) => {
      await withContext(async (ctx) => {
        const results = await ctx.get(OfflineParseService).parse(opts.kind, parseJsonOption(opts.config, '--config'), files, opts.scope);
        printJson(results);
        if (results.some((r) => r.error)) process.exitCode = 1;
      });
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

  registerSnapshotCommands(program, withContext);
  registerSecurityCommands(program, withContext);

  return program;
}
