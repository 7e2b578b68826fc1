import 'reflect-metadata';
import { buildCli } from './cli/commands.js';

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`apivault: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  });
