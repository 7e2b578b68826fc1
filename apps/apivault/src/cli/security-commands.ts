import { Option, type Command } from 'commander';
import type { INestApplicationContext } from '@nestjs/common';
import { defaultConnectorRegistry } from '#connectors';
import { AuditService } from '../audit/audit.service.js';
import { ROLES, type Role } from '../auth/roles.js';
import { TokensService } from '../auth/tokens.service.js';
import { ConfigApplierService } from '../config-file/config-applier.service.js';
import { configFilePath, loadConfigFile, type LoadedConfig } from '../config-file/config-file-loader.js';
import { KeyRotationService } from '../secrets/key-rotation.service.js';
import { printJson, printTable } from './output.js';

type WithContext = <T>(fn: (ctx: INestApplicationContext) => Promise<T>) => Promise<T>;

/**
 * Loads apivault.yaml (--config, else APIVAULT_CONFIG) when one is named, validated in full, and
 * puts its storage and retention sections into the environment the settings are read from.
 */
export function prepareConfigFile(option: string | undefined): LoadedConfig | undefined {
  const file = configFilePath(option);
  if (!file) return undefined;
  const loaded = loadConfigFile(file, { registry: defaultConnectorRegistry() });
  Object.assign(process.env, loaded.environment);
  return loaded;
}

/** Audit trail entry for what an operator did on this machine, outside the API. */
function recordCli(ctx: INestApplicationContext, route: string, resourceId: string | null): Promise<void> {
  return ctx.get(AuditService).record({ tokenId: null, actor: 'cli', role: null, method: 'CLI', route, path: route, resourceId, ip: null, status: 200 });
}

function instant(value: string, flag: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`${flag} must be an ISO-8601 instant, got "${value}"`);
  return at;
}

export function registerSecurityCommands(program: Command, withContext: WithContext): void {
  const token = program.command('token').description('bearer tokens of the admin API (roles: viewer < operator < admin)');
  token
    .command('create')
    .description('create a token and print it once; the first admin token of an installation is made this way')
    .addOption(new Option('--role <role>', 'viewer, operator or admin').choices([...ROLES]).makeOptionMandatory())
    .option('--name <name>', 'a unique name (default: role-<prefix>)')
    .option('--expires-at <instant>', 'ISO-8601 instant after which the token stops working')
    .action(async (opts: { role: Role; name?: string; expiresAt?: string }) => {
      const expiresAt = opts.expiresAt ? instant(opts.expiresAt, '--expires-at') : null;
      await withContext(async (ctx) => {
        const created = await ctx.get(TokensService).create({ role: opts.role, name: opts.name, expiresAt, createdBy: 'cli' });
        await recordCli(ctx, 'apivault token create', created.id);
        process.stderr.write('The token is shown this once; apivault keeps only its hash. Send it as "Authorization: Bearer <token>".\n');
        printJson(created);
      });
    });
  token
    .command('list')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print JSON')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      await withContext(async (ctx) => {
        const tokens = ctx.get(TokensService);
        const items = [];
        let cursor: string | undefined;
        do {
          const page = await tokens.list({ includeRevoked: opts.all === true, limit: 500, cursor });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (opts.json) printJson(items);
        else printTable(items, ['name', 'role', 'prefix', 'id', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt']);
      });
    });
  token
    .command('revoke')
    .description('revoke a token at once (by id or name)')
    .argument('<token>')
    .action(async (idOrName: string) => {
      await withContext(async (ctx) => {
        const revoked = await ctx.get(TokensService).revoke(idOrName);
        await recordCli(ctx, 'apivault token revoke', revoked.id);
        printJson(revoked);
      });
    });

  program
    .command('keys')
    .description('the master key that seals vendor credentials')
    .command('rotate')
    .description(
      're-seal every credential and sealed setting under the current master key (APIVAULT_MASTER_KEY or _FILE), ' +
        'opening them with the previous key (--old-key-file, APIVAULT_MASTER_KEY_PREVIOUS or APIVAULT_MASTER_KEY_PREVIOUS_FILE)',
    )
    .option('--old-key-file <path>', 'file holding the previous master key (base64 or hex)')
    .action(async (opts: { oldKeyFile?: string }) => {
      // The flag means the same as the variable: the app's SecretBox reads it at start.
      if (opts.oldKeyFile) process.env.APIVAULT_MASTER_KEY_PREVIOUS_FILE = opts.oldKeyFile;
      await withContext(async (ctx) => {
        const report = await ctx.get(KeyRotationService).rotate();
        await recordCli(ctx, 'apivault keys rotate', report.keyId);
        printJson(report);
      });
    });

  const config = program.command('config').description('the declarative configuration file (apivault.yaml)');
  config
    .command('validate')
    .description('check the file (syntax, ${ENV} variables, schema, connector configurations) without touching the database')
    .option('--config <file>', 'the file (default: APIVAULT_CONFIG)')
    .action((opts: { config?: string }) => {
      const loaded = prepareConfigFile(opts.config);
      if (!loaded) throw new Error('no configuration file: pass --config or set APIVAULT_CONFIG');
      printJson({ file: loaded.file, valid: true, credentials: Object.keys(loaded.config.credentials), sources: loaded.config.sources.map((s) => s.name), environment: Object.keys(loaded.environment) });
    });
  config
    .command('apply')
    .description('make the database match the file (the daemon also does this at start); idempotent')
    .option('--config <file>', 'the file (default: APIVAULT_CONFIG)')
    .action(async (opts: { config?: string }) => {
      const loaded = prepareConfigFile(opts.config);
      if (!loaded) throw new Error('no configuration file: pass --config or set APIVAULT_CONFIG');
      await withContext(async (ctx) => printJson(await ctx.get(ConfigApplierService).apply(loaded.config, loaded.file)));
    });
}
