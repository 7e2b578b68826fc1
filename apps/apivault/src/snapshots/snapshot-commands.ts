import { Option, type Command } from 'commander';
import type { INestApplicationContext } from '@nestjs/common';
import { printJson, printTable } from '../cli/output.js';
import { RETENTION_FIELDS, type RetentionPolicy } from './retention-policy.js';
import { SnapshotExportService } from './snapshot-export.service.js';
import { SnapshotPrunerService } from './snapshot-pruner.service.js';
import { SnapshotRetentionService } from './snapshot-retention.service.js';
import { SnapshotVerifierService, type SnapshotVerification } from './snapshot-verifier.service.js';
import { SnapshotService } from './snapshot.service.js';

type WithContext = <T>(fn: (ctx: INestApplicationContext) => Promise<T>) => Promise<T>;

const RETENTION_FLAGS: Record<keyof RetentionPolicy, string> = {
  keepLast: '--keep-last <n>',
  keepHourly: '--keep-hourly <n>',
  keepDaily: '--keep-daily <n>',
  keepWeekly: '--keep-weekly <n>',
  keepMonthly: '--keep-monthly <n>',
  keepYearly: '--keep-yearly <n>',
  minAgeHours: '--min-age-hours <n>',
};

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative whole number, got "${value}"`);
  return n;
}

function printVerification(report: SnapshotVerification): void {
  const sample = report.sample.percent >= 100 ? 'everything' : `${report.sample.percent}% sample (seed ${report.sample.seed})`;
  process.stdout.write(
    `snapshot ${report.snapshotId} (${report.scopeId} #${report.sequence}): ${report.ok ? 'OK' : 'FAILED'}\n` +
      `  checked ${sample}: ${report.sample.objects.checked}/${report.sample.objects.total} archive objects, ${report.sample.items.checked}/${report.sample.items.total} catalog items\n` +
      `  manifest ${report.manifest.status}, signature ${report.signature.status}, chain ${report.chain.status} (${report.chain.detail})\n`,
  );
  for (const problem of report.problems) process.stdout.write(`  PROBLEM ${problem}\n`);
}

/** `apivault snapshot`, `apivault verify` and `apivault snapshots ...`, over the same services as the API. */
export function registerSnapshotCommands(program: Command, withContext: WithContext): void {
  program
    .command('snapshot')
    .description('take a compliance snapshot now: the whole catalog, or the named sources')
    .option('--source <name-or-id...>', 'only these sources (a scope of its own)')
    .option('--json', 'print the snapshot as JSON')
    .action(async (opts: { source?: string[]; json?: boolean }) => {
      await withContext(async (ctx) => {
        const snapshot = await ctx.get(SnapshotService).create({ sources: opts.source, trigger: 'cli' });
        if (opts.json) printJson(snapshot);
        else printTable([snapshot], ['id', 'scopeId', 'seq', 'items', 'objects', 'manifestSha256']);
      });
    });

  program
    .command('verify')
    .description('verify a snapshot: signature, manifest hash, chain link, every archive object and catalog version; exits 1 on any problem')
    .argument('<snapshot>', 'snapshot id')
    .option('--sample <pct>', 'check only this percentage of objects and items, chosen at random (seeded, reported)')
    .option('--seed <n>', 'seed of the sample, to repeat one')
    .option('--json', 'print the full report as JSON')
    .action(async (id: string, opts: { sample?: string; seed?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const samplePercent = opts.sample === undefined ? undefined : Number(opts.sample);
        if (samplePercent !== undefined && !(samplePercent > 0 && samplePercent <= 100)) throw new Error(`--sample must be a percentage in (0, 100], got "${opts.sample}"`);
        const report = await ctx.get(SnapshotVerifierService).verify(id, { samplePercent, seed: opts.seed === undefined ? undefined : count(opts.seed, '--seed'), trigger: 'cli' });
        if (opts.json) printJson(report);
        else printVerification(report);
        if (!report.ok) process.exitCode = 1;
      });
    });

  const snapshots = program.command('snapshots').description('compliance snapshots: list, show, prune, retention, public key, export');
  snapshots
    .command('list')
    .option('--scope <id>', 'only this scope ("all", or "sources-...")')
    .addOption(new Option('--limit <n>', 'how many').default('20'))
    .option('--json', 'print JSON')
    .action(async (opts: { scope?: string; limit: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const page = await ctx.get(SnapshotService).list({ scopeId: opts.scope, limit: count(opts.limit, '--limit') || 20 });
        if (opts.json) printJson(page);
        else printTable(page.items, ['id', 'scopeId', 'seq', 'status', 'createdAt', 'items', 'objects', 'retainUntil']);
      });
    });
  snapshots
    .command('show')
    .argument('<id>')
    .action(async (id: string) => {
      await withContext(async (ctx) => printJson(await ctx.get(SnapshotService).get(id)));
    });
  snapshots
    .command('prune')
    .description('apply retention: delete snapshots outside their scope policy (never one under lock), then archive objects nothing references. Dry run unless --apply')
    .option('--dry-run', 'only print what would be deleted (the default)')
    .option('--apply', 'delete')
    .option('--json', 'print JSON')
    .action(async (opts: { dryRun?: boolean; apply?: boolean; json?: boolean }) => {
      if (opts.dryRun && opts.apply) throw new Error('--dry-run and --apply exclude each other');
      await withContext(async (ctx) => {
        const result = await ctx.get(SnapshotPrunerService).prune({ dryRun: !opts.apply, actor: { name: 'cli' } });
        if (opts.json) return printJson(result);
        const verb = result.dryRun ? 'would delete' : 'deleted';
        for (const scope of result.scopes) {
          process.stdout.write(`scope ${scope.scopeId}: keeps ${scope.keep.length}, ${verb} ${scope.prune.length}\n`);
          for (const s of scope.prune) process.stdout.write(`  ${verb} snapshot ${s.id} #${s.seq} of ${s.createdAt} (${s.keys.length} files)\n`);
        }
        if (result.garbage.skipped) process.stdout.write(`garbage collection skipped: ${result.garbage.skipped}\n`);
        else process.stdout.write(`archive: ${verb} ${result.garbage.objects.length} unreferenced object(s), ${result.garbage.bytes} bytes\n`);
        for (const o of result.garbage.objects) process.stdout.write(`  ${verb} ${o.key} (${o.size} bytes)\n`);
        if (result.dryRun) process.stdout.write('(dry run: nothing was deleted; run with --apply to delete)\n');
      });
    });
  const retention = snapshots
    .command('retention')
    .description('show retention policies per scope, or change one scope (--scope) with --keep-* flags; --reset clears its overrides')
    .option('--scope <id>', 'the scope to change')
    .option('--reset', 'drop the scope overrides: the environment defaults apply again')
    .option('--json', 'print JSON');
  for (const field of RETENTION_FIELDS) retention.option(RETENTION_FLAGS[field]);
  retention.action(async (opts: Record<string, string | boolean | undefined>) => {
    await withContext(async (ctx) => {
      const service = ctx.get(SnapshotRetentionService);
      const changes: Partial<Record<keyof RetentionPolicy, number | null>> = {};
      for (const field of RETENTION_FIELDS) {
        const value = opts[field];
        if (typeof value === 'string') changes[field] = count(value, RETENTION_FLAGS[field].split(' ')[0]!);
        else if (opts.reset) changes[field] = null;
      }
      if (Object.keys(changes).length > 0 && typeof opts.scope !== 'string') throw new Error('--scope is required to change a policy (see `apivault snapshots retention`)');
      const views = typeof opts.scope === 'string' && Object.keys(changes).length > 0 ? [await service.set(opts.scope, changes)] : await service.list();
      if (opts.json) printJson(views);
      else printTable(views.map((v) => ({ scope: v.id, ...v.policy, overrides: Object.keys(v.overrides).join(',') })), ['scope', ...RETENTION_FIELDS, 'overrides']);
    });
  });
  snapshots
    .command('public-key')
    .description('print the Ed25519 public key (PEM) that verifies snapshot manifests, and its fingerprint on stderr')
    .action(async () => {
      await withContext(async (ctx) => {
        const key = ctx.get(SnapshotService).publicKey;
        process.stdout.write(key.pem);
        process.stderr.write(`fingerprint ${key.fingerprint}\n`);
      });
    });
  snapshots
    .command('export')
    .description('copy a snapshot’s sealed files (and with --objects the archive objects, as stored) into a directory, for scripts/verify-snapshot.mjs or an auditor')
    .argument('<id>')
    .argument('<directory>')
    .option('--objects', 'also copy every referenced archive object under <directory>/objects/')
    .action(async (id: string, directory: string, opts: { objects?: boolean }) => {
      await withContext(async (ctx) => printJson(await ctx.get(SnapshotExportService).export(id, directory, { objects: opts.objects === true })));
    });
}
