import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(root, 'dist/apps/apivault/src/main.js');

/** One `apivault serve` process, as an operator runs it: its own pid, port, logs and signals. */
export interface ReplicaProcess {
  name: string;
  pid: number;
  url: string;
  /** Every JSON log line it printed, parsed. */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The replicas run the built daemon (dist/), so a stale build would test old code: refuse with
 * the fix rather than pass or fail for the wrong reason. `npm test` builds first (pretest).
 */
export function assertBuildIsCurrent(): void {
  const built = statSync(MAIN, { throwIfNoEntry: false });
  if (!built) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  for (const file of ['apps/apivault/src/runs/run-executor.ts', 'apps/apivault/src/runs/run-dispatcher.ts', 'libs/catalog/src/repositories/run-claim-repository.ts', 'apps/apivault/src/schedules/source-scheduler.ts']) {
    if (statSync(path.join(root, file)).mtimeMs > built.mtimeMs) throw new Error(`${file} is newer than dist/: run \`npm run build\` (npm test does it first)`);
  }
}

/** Starts `apivault serve` on a free port with the given environment; resolves once it listens. */
export async function startReplica(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ReplicaProcess> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    url = logs.find((line) => line.msg === 'apivault listening')?.url as string | undefined;
    if (url) break;
    const ended = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]);
    if (ended) throw new Error(`replica ${name} exited (${ended.code ?? ended.signal}) before listening: ${stderr}${JSON.stringify(logs.slice(-5))}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`replica ${name} did not listen within ${timeoutMs} ms: ${stderr}`);
    }
  }
  return {
    name,
    pid: child.pid!,
    url: url.replace('[::1]', '127.0.0.1'),
    logs,
    exited,
    signal: (signal) => void child.kill(signal),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
