// vendor-sim for the benchmarks: started in its own process, driven through its /_sim/ control API.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchSources } from './backup-sources.mjs';

const VENDOR_SIM = fileURLToPath(new URL('../dist/apps/vendor-sim/src/main.js', import.meta.url));

/** Starts vendor-sim (admin on); resolves with the process, what it printed, and how long it took. */
export function startSim(scale) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [VENDOR_SIM, '--port', '0', '--scale', String(scale), '--seed', '42', '--admin'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`vendor-sim exited ${code} before listening`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      if (!buffer.includes('\n')) return;
      child.stdout.removeAllListeners('data');
      child.removeAllListeners('exit');
      resolve({ child, info: JSON.parse(buffer.split('\n')[0]), startMs: performance.now() - started });
    });
  });
}

export async function simControl(sim, method, route, body) {
  const response = await fetch(`${sim.info.baseUrl}/_sim${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} /_sim${route} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** The benchmark's credentials and sources for this simulator ({credentials, sources}). */
export async function simPlan(sim) {
  // The DataService "one export per workspace a minute" rule would make every pass wait a minute per workspace.
  await simControl(sim, 'PUT', '/dataservice/settings', { exportWindowMs: 0 });
  const dataworksProjects = (await simControl(sim, 'GET', '/dataworks/projects')).projects.map((p) => p.projectId);
  return benchSources(sim.info, dataworksProjects);
}
