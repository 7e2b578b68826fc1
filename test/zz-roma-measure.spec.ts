import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SecretRedactor } from '#catalog-model';
import { RomaLiveDataConnector } from '#connectors';
import { startVendorSim } from '#vendor-sim';

it('measures', async () => {
  const sim = await startVendorSim({ seed: 1, scale: 200 });
  const token = (await fetch(`${sim.baseUrl}/v3/auth/tokens?nocatalog=true`, { method: 'POST', body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: sim.iam.users()[0].userName, password: sim.iam.users()[0].password, domain: { name: sim.iam.users()[0].domainName } } } }, scope: { project: { name: sim.projectName } } } }) })).headers.get('x-subject-token')!;
  const url = `${sim.baseUrl}/v2/${sim.projectId}/apic/instances/${sim.roma.instanceId}/openapi/livedata-apis/export`;
  const out: string[] = [`apis ${sim.roma.apis().length}`];
  const connector = new RomaLiveDataConnector();
  const dir = mkdtempSync(join(tmpdir(), 'roma-measure-'));
  const config = connector.validateConfig({ endpoint: sim.baseUrl, projectId: sim.projectId, instanceId: sim.roma.instanceId });
  const ctx: any = { logger: pino({ level: 'silent' }), signal: new AbortController().signal, redactor: new SecretRedactor(Buffer.alloc(32, 1)), progress: () => {}, expect: () => {}, partFailed: () => {} };
  async function parseMs(text: string, name: string) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const p0 = performance.now();
    let n = 0;
    for await (const _ of connector.parse({ name: 'x', call: 'x', sha256: 'x', size: Buffer.byteLength(text), localPath: path, scope: 'app:x' }, config, ctx)) n++;
    return [performance.now() - p0, n];
  }
  for (const format of ['json', 'yaml']) {
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await fetch(url, { method: 'POST', headers: { 'X-Auth-Token': token, 'content-type': 'application/json' }, body: JSON.stringify({ format }) });
      text = await r.text();
      times.push(performance.now() - t0);
    }
    const [ms, n] = await parseMs(text, `all.${format}`);
    out.push(`whole instance ${format}: bytes ${Buffer.byteLength(text)}, export calls (ms) cold ${times[0].toFixed(0)} warm ${times[1].toFixed(0)} ${times[2].toFixed(0)}; apivault parse ${ms.toFixed(0)} ms for ${n} entries`);
  }
  const apps = sim.roma.apps().slice(0, 20);
  let cold = 0, warm = 0, parse = 0;
  for (const app of apps) {
    for (const pass of [0, 1]) {
      const t0 = performance.now();
      const r = await fetch(url, { method: 'POST', headers: { 'X-Auth-Token': token, 'content-type': 'application/json' }, body: JSON.stringify({ app_id: app.id }) });
      const text = await r.text();
      const dt = performance.now() - t0;
      if (pass === 0) { cold += dt; parse += (await parseMs(text, `${app.id}.json`))[0]; } else warm += dt;
    }
  }
  out.push(`per app (20 apps x 7 APIs, json): export cold ${(cold / 20).toFixed(1)} ms, warm ${(warm / 20).toFixed(1)} ms, apivault parse ${(parse / 20).toFixed(1)} ms`);
  writeFileSync('/tmp/roma-measure.txt', out.join('\n'));
  await sim.close();
}, 600000);
