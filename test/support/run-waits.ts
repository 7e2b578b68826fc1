import { getJson, type TestApp } from './test-app.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined/false; fails with `what` after the timeout. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Every run of a source, as the API shows them, oldest first. */
export async function runsOfSource(t: TestApp, sourceId: string): Promise<any[]> {
  const page = await getJson(`${t.url}/api/v1/runs?source=${sourceId}&limit=500`);
  expect(page.status).toBe(200);
  return [...page.body.items].reverse();
}

/** One run, with its artifacts and changes. */
export async function getRun(t: TestApp, runId: string): Promise<any> {
  const answer = await getJson(`${t.url}/api/v1/runs/${runId}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Polls a run until it ended (neither queued nor running: a retry waiting in the queue has not ended). */
export function waitForRunEnd(t: TestApp, runId: string, timeoutMs = 30_000): Promise<any> {
  return waitUntil(
    `run ${runId} to end`,
    async () => {
      const run = await getRun(t, runId);
      return run.status !== 'queued' && run.status !== 'running' ? run : undefined;
    },
    timeoutMs,
    30,
  );
}
