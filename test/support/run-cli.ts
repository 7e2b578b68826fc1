import { buildCli } from '../../apps/apivault/src/cli/commands.js';

/**
 * Runs one `apivault` CLI command in this process, exactly as the bin would, and captures what
 * it printed and its exit code. Commands read the environment (APIVAULT_DATA_DIR...) like the
 * real CLI, so suites set it up in beforeAll.
 */
export async function runCli(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await buildCli().exitOverride().parseAsync(['node', 'apivault', ...args]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

/**
 * runCli with the environment a separate `apivault` process would get: `env` is set for the
 * command only (undefined removes a variable, e.g. the DATABASE_URL CI sets for npm test).
 */
export async function runCliWithEnv(env: Record<string, string | undefined>, ...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await runCli(...args);
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
