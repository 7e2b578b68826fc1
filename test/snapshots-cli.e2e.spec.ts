import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { runCli } from './support/run-cli.js';

const run = promisify(execFile);

/** `apivault snapshot`, `verify` and `snapshots ...` in-process, on the embedded default. */
describe('apivault snapshot commands', () => {
  let sim: VendorSim;
  let dataDir: string;
  const savedEnv = { ...process.env };

  const cli = runCli;

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 13 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-snapshot-cli-'));
    delete process.env.DATABASE_URL;
    delete process.env.NODE_ENV;
    process.env.APIVAULT_DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'warn';
    process.env.LOG_FORMAT = 'json';
    const secretFile = path.join(dataDir, 'secret.json');
    writeFileSync(secretFile, JSON.stringify({ type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey }));
    await cli('credentials', 'set', 'sim', '--from-file', secretFile);
    await cli('sources', 'add', '--name', 'dlf', '--kind', 'huawei.dataarts.dlf.connections', '--config', JSON.stringify({ endpoint: sim.baseUrl, projectId: sim.projectId }), '--credential', 'sim');
    expect((await cli('backup')).exitCode).toBe(0);
  });

  afterAll(async () => {
    process.env = savedEnv;
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('snapshots, verifies, exports for the standalone script, and prunes in dry run by default', async () => {
    const taken = JSON.parse((await cli('snapshot', '--json')).stdout);
    expect(taken).toMatchObject({ status: 'sealed', trigger: 'cli', items: sim.dlf.list().length });
    expect(existsSync(path.join(dataDir, 'snapshot-signing.key'))).toBe(true);
    const scoped = JSON.parse((await cli('snapshot', '--source', 'dlf', '--json')).stdout);
    expect(scoped.scopeId).toMatch(/^sources-/);

    const verified = await cli('verify', taken.id);
    expect(verified.exitCode).toBe(0);
    expect(verified.stdout).toContain(`snapshot ${taken.id} (all #1): OK`);
    const sampled = JSON.parse((await cli('verify', taken.id, '--sample', '50', '--seed', '7', '--json')).stdout);
    expect(sampled.sample).toMatchObject({ percent: 50, seed: 7 });

    const listed = JSON.parse((await cli('snapshots', 'list', '--json')).stdout);
    expect(listed.items.map((s: { id: string }) => s.id)).toEqual([scoped.id, taken.id]);

    const key = await cli('snapshots', 'public-key');
    expect(key.stdout).toContain('BEGIN PUBLIC KEY');
    expect(key.stderr).toContain(`fingerprint ${taken.publicKeyFingerprint}`);

    const dir = path.join(dataDir, 'export');
    await cli('snapshots', 'export', taken.id, dir, '--objects');
    const script = await run('node', [path.resolve('scripts/verify-snapshot.mjs'), dir, '--fingerprint', taken.publicKeyFingerprint]);
    expect(script.stdout.trim().endsWith('verified')).toBe(true);

    const dry = await cli('snapshots', 'prune');
    expect(dry.stdout).toContain('scope all: keeps 1, would delete 0');
    expect(dry.stdout).toContain('(dry run: nothing was deleted; run with --apply to delete)');

    await cli('snapshots', 'retention', '--scope', 'all', '--keep-last', '3', '--keep-daily', '0');
    const policies = JSON.parse((await cli('snapshots', 'retention', '--json')).stdout);
    expect(policies.find((p: { id: string }) => p.id === 'all')).toMatchObject({ overrides: { keepLast: 3, keepDaily: 0 }, policy: { keepLast: 3, keepDaily: 0, keepWeekly: 4 } });
  });

  it('exits 1 and prints the problem when a snapshot does not verify', async () => {
    const taken = JSON.parse((await cli('snapshot', '--json')).stdout);
    rmSync(path.join(dataDir, 'archive', ...taken.files['manifest.sig'].key.split('/')), { force: true });
    const result = await cli('verify', taken.id);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`PROBLEM signature ${taken.files['manifest.sig'].key}: missing: not in the archive`);
  });
});
