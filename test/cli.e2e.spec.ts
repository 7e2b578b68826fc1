import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signHuaweiRequest } from '#cloud-auth';
import { PLANTED_SECRET_PREFIX, startVendorSim, type VendorSim } from '#vendor-sim';
import { runCli } from './support/run-cli.js';

/**
 * The CLI, in-process, on the embedded default (PGlite on disk): every command boots the
 * services, does its work and closes the database, so this also proves the data persists
 * between boots.
 */
describe('apivault CLI on the embedded default', () => {
  let sim: VendorSim;
  let dataDir: string;
  const savedEnv = { ...process.env };

  const cli = runCli;

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 11 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-cli-'));
    delete process.env.DATABASE_URL;
    process.env.APIVAULT_DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'warn';
    process.env.LOG_FORMAT = 'json';
  });

  afterAll(async () => {
    process.env = savedEnv;
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a credential and a source, backs up, and reads runs and the catalog back', async () => {
    const secretFile = path.join(dataDir, 'secret.json');
    writeFileSync(secretFile, JSON.stringify({ type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey }));
    const credential = JSON.parse((await cli('credentials', 'set', 'sim', '--from-file', secretFile)).stdout);
    expect(credential).toMatchObject({ name: 'sim', type: 'huawei-aksk' });
    expect(JSON.stringify(credential)).not.toContain(sim.credentials.secretAccessKey);

    const config = JSON.stringify({ endpoint: sim.baseUrl, projectId: sim.projectId });
    await cli('sources', 'add', '--name', 'dlf', '--kind', 'huawei.dataarts.dlf.connections', '--config', config, '--credential', 'sim');

    const first = await cli('backup', '--json');
    expect(first.exitCode).toBe(0);
    const [result] = JSON.parse(first.stdout);
    expect(result.run).toMatchObject({ status: 'succeeded', stats: { added: sim.dlf.list().length } });

    const again = JSON.parse((await cli('backup', 'dlf', '--json')).stdout);
    expect(again[0].run.stats).toMatchObject({ added: 0, unchanged: sim.dlf.list().length, versionsWritten: 0 });

    const runs = JSON.parse((await cli('runs', 'list', '--json')).stdout);
    expect(runs.items.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded']);
    const items = JSON.parse((await cli('catalog', 'list', '--json')).stdout);
    expect(items.items.map((i: { externalId: string }) => i.externalId).sort()).toEqual(sim.dlf.list().map((c) => c.name).sort());
  });

  it('parses a saved raw export offline exactly as the backup did (same entries, same redaction)', async () => {
    const url = `${sim.baseUrl}/v1/${sim.projectId}/connections/export`;
    const headers = signHuaweiRequest({ method: 'POST', url, headers: {}, body: '' }, sim.credentials);
    const saved = path.join(dataDir, 'DLF_All_DataConnections.zip');
    writeFileSync(saved, Buffer.from(await (await fetch(url, { method: 'POST', headers })).arrayBuffer()));

    const out = await cli('parse', '--kind', 'huawei.dataarts.dlf.connections', '--config', JSON.stringify({ endpoint: sim.baseUrl, projectId: sim.projectId }), saved);
    expect(out.exitCode).toBe(0);
    const [result] = JSON.parse(out.stdout);
    expect(result.error).toBeNull();
    expect(result.entries.map((e: { externalId: string }) => e.externalId).sort()).toEqual(sim.dlf.list().map((c) => c.name).sort());
    const planted = sim.dlf.list().map((c) => c.config.password).filter((p) => typeof p === 'string' && p.startsWith(PLANTED_SECRET_PREFIX));
    expect(planted.length).toBeGreaterThan(0);
    for (const secret of planted) expect(out.stdout).not.toContain(secret);

    const items = JSON.parse((await cli('catalog', 'list', '--json')).stdout).items;
    const first = result.entries[0];
    const item = items.find((i: { externalId: string }) => i.externalId === first.externalId);
    const shown = JSON.parse((await cli('catalog', 'show', item.id)).stdout);
    expect(shown.versions.at(-1).document).toEqual(first.document);
  });

  it('exits 1 and says why when a run fails', async () => {
    sim.faults.inject('http-401', { times: 1 });
    const failed = await cli('backup', '--json');
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout)[0].run).toMatchObject({ status: 'failed', error: { status: 401, stage: 'fetch' } });
  });

  it('rejects a source whose configuration is invalid, naming the field', async () => {
    await expect(cli('sources', 'add', '--name', 'bad', '--kind', 'huawei.dataarts.dlf.connections', '--config', '{"endpoint":"not a url"}')).rejects.toThrow(
      /endpoint|projectId/,
    );
  });
});
