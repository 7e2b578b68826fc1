import { Command, InvalidArgumentError } from 'commander';
import { loadFaultConfigFile } from './fault-config.js';
import { resolveCredentials } from './sim-credentials.js';
import { startVendorSim } from './vendor-sim.js';

/**
 * Standalone simulator for demos and manual tests (every flag: docs/vendor-sim.md):
 *   node dist/apps/vendor-sim/src/main.js --port 9090 --seed 42 --scale 1 [--admin] [--faults faults.yaml]
 * Prints one JSON line (base URL and the credentials it accepts) once listening, so scripts can parse it.
 */
function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('not an integer');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function isoDateOrWall(value: string): Date | 'wall' {
  if (value === 'wall') return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('not an ISO-8601 date nor "wall"');
  return date;
}

function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new InvalidArgumentError('not a non-negative number');
  return parsed;
}

const program = new Command()
  .name('vendor-sim')
  .description('Local emulator of the cloud vendor APIs apivault backs up')
  .option('--port <port>', 'port to listen on (0 = any free port)', integer, 9090)
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--seed <seed>', 'seed of the simulated catalogs', integer, 42)
  .option('--scale <scale>', 'catalog size multiplier', positiveNumber, 1)
  .option('--project-id <id>', 'project id the vendor routes accept')
  .option('--ak <accessKeyId>', 'Huawei access key id to accept (env VENDOR_SIM_AKSK="AK:SK ..."; default: the demo pair)')
  .option('--sk <secretAccessKey>', 'secret access key for --ak')
  .option('--aksk <AK:SK>', 'another Huawei AK/SK pair to accept (repeatable)', collect)
  .option('--token <token>', 'IAM token to accept as X-Auth-Token (repeatable; env VENDOR_SIM_TOKENS)', collect)
  .option('--iam-user <domain/user:password>', 'IAM user for password logins (repeatable; env VENDOR_SIM_IAM_USERS)', collect)
  .option('--aliyun-key <id:secret>', 'Alibaba Cloud AccessKey to accept (repeatable; env VENDOR_SIM_ALIYUN_KEYS)', collect)
  .option('--admin', 'serve the unauthenticated /_sim/ control API (off by default)', false)
  .option('--faults <file>', 'fault rules in force from the start (YAML or JSON)')
  .option('--clock <iso|wall>', 'export time: "wall" (default) or a fixed ISO-8601 time (byte-identical exports)', isoDateOrWall, 'wall' as const)
  .option('--locale <locale>', 'language of exported workbooks (DataService headers): en or zh', locale, 'en');

function locale(value: string): 'en' | 'zh' {
  if (value !== 'en' && value !== 'zh') throw new InvalidArgumentError('en or zh');
  return value;
}

/** A bad flag value (a malformed credential, a bad fault file) ends with its message, not a stack. */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    return program.error(`vendor-sim: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    port: number;
    host: string;
    seed: number;
    scale: number;
    projectId?: string;
    ak?: string;
    sk?: string;
    aksk?: string[];
    token?: string[];
    iamUser?: string[];
    aliyunKey?: string[];
    admin: boolean;
    faults?: string;
    clock: Date | 'wall';
    locale: 'en' | 'zh';
  }>();
  const credentials = orExit(() => resolveCredentials(opts));
  const faults = opts.faults === undefined ? undefined : orExit(() => loadFaultConfigFile(opts.faults!));

  const sim = await startVendorSim({
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    scale: opts.scale,
    projectId: opts.projectId,
    accounts: credentials.accounts,
    tokens: credentials.tokens,
    iam: { users: credentials.iamUsers },
    aliyunAccounts: credentials.aliyunKeys,
    admin: opts.admin,
    clock: opts.clock,
    faults,
    locale: opts.locale,
  });
  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sim.baseUrl,
      projectId: sim.projectId,
      dlfWorkspaces: sim.dlf.workspaces(),
      dataServiceWorkspaces: sim.dataService.workspaces(),
      apigInstanceId: sim.apig.instanceId,
      romaInstanceId: sim.roma.instanceId,
      projectName: sim.projectName,
      accessKeyId: sim.credentials.accessKeyId,
      secretAccessKey: sim.credentials.secretAccessKey,
      token: sim.credentials.token,
      accounts: credentials.accounts,
      tokens: credentials.tokens,
      iamUsers: credentials.iamUsers,
      aliyunKeys: credentials.aliyunKeys,
      admin: opts.admin,
      estate: sim.estate(),
    })}\n`,
  );

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`vendor-sim: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
