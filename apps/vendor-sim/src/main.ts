import { Command, InvalidArgumentError } from 'commander';
import { startVendorSim } from './vendor-sim.js';

/**
 * Standalone simulator for demos and manual tests:
 *   node dist/apps/vendor-sim/src/main.js --port 9090 --seed 42 --scale 1 [--ak X --sk Y --token T]
 * Prints one JSON line (base URL and demo credentials) once listening, so scripts can parse it.
 */
function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('not an integer');
  return parsed;
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
  .option('--ak <accessKeyId>', 'access key id to accept (default: random)')
  .option('--sk <secretAccessKey>', 'secret access key for --ak')
  .option('--token <token>', 'IAM token to accept as X-Auth-Token (default: random)');

async function main(): Promise<void> {
  const opts = program.parse().opts<{
    port: number;
    host: string;
    seed: number;
    scale: number;
    projectId?: string;
    ak?: string;
    sk?: string;
    token?: string;
  }>();
  if ((opts.ak === undefined) !== (opts.sk === undefined)) program.error('--ak and --sk go together');

  const sim = await startVendorSim({
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    scale: opts.scale,
    projectId: opts.projectId,
    accounts: opts.ak && opts.sk ? [{ accessKeyId: opts.ak, secretAccessKey: opts.sk }] : undefined,
    tokens: opts.token ? [opts.token] : undefined,
  });
  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sim.baseUrl,
      projectId: sim.projectId,
      dlfWorkspaces: sim.dlf.workspaces(),
      accessKeyId: sim.credentials.accessKeyId,
      secretAccessKey: sim.credentials.secretAccessKey,
      token: sim.credentials.token,
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
