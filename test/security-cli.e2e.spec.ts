import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '#catalog';
import { startVendorSim, type VendorSim } from '#vendor-sim';
import { runCli } from './support/run-cli.js';
import { masterKeyFromBytes } from '../apps/apivault/src/secrets/master-key.js';

/**
 * The security commands of the CLI on the embedded default: the first admin token, token
 * revocation, master key rotation (and what fails before it), and apivault.yaml validation.
 */
describe('apivault CLI: tokens, key rotation, configuration file', () => {
  let sim: VendorSim;
  let dataDir: string;
  const savedEnv = { ...process.env };
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  const cli = runCli;

  async function keyIdsInDatabase(): Promise<string[]> {
    const db = await openDatabase({ type: 'pglite', dataDir: path.join(dataDir, 'db') });
    try {
      const credentials = await db.prisma.credential.findMany({ select: { keyId: true } });
      const settings = await db.prisma.setting.findMany();
      return [...credentials.map((c) => c.keyId), ...settings.map((s) => (s.value as { keyId: string }).keyId)];
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    sim = await startVendorSim({ port: 0, seed: 13 });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'apivault-security-cli-'));
    delete process.env.DATABASE_URL;
    delete process.env.APIVAULT_MASTER_KEY_FILE;
    delete process.env.APIVAULT_MASTER_KEY_PREVIOUS;
    delete process.env.APIVAULT_MASTER_KEY_PREVIOUS_FILE;
    process.env.APIVAULT_DATA_DIR = dataDir;
    process.env.APIVAULT_MASTER_KEY = keyA.toString('base64');
    process.env.LOG_LEVEL = 'warn';
    process.env.LOG_FORMAT = 'json';
  });

  afterAll(async () => {
    process.env = savedEnv;
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the first admin token (shown once), lists tokens without secrets, revokes one', async () => {
    const created = JSON.parse((await cli('token', 'create', '--role', 'admin', '--name', 'first-admin')).stdout);
    expect(created).toMatchObject({ name: 'first-admin', role: 'admin', createdBy: 'cli', revokedAt: null });
    expect(created.token).toMatch(/^avt_/);

    const listed = (await cli('token', 'list', '--json')).stdout;
    expect(JSON.parse(listed).map((t: { name: string }) => t.name)).toEqual(['first-admin']);
    expect(listed).not.toContain(created.token);
    const revoked = JSON.parse((await cli('token', 'revoke', 'first-admin')).stdout);
    expect(revoked.revokedAt).not.toBeNull();
    expect(JSON.parse((await cli('token', 'list', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await cli('token', 'list', '--all', '--json')).stdout)).toHaveLength(1);
  });

  it('re-seals every credential and the redaction salt under a new master key', async () => {
    const secretFile = path.join(dataDir, 'secret.json');
    writeFileSync(secretFile, JSON.stringify({ type: 'huawei-aksk', accessKeyId: sim.credentials.accessKeyId, secretAccessKey: sim.credentials.secretAccessKey }));
    await cli('credentials', 'set', 'sim', '--from-file', secretFile);
    await cli('sources', 'add', '--name', 'dlf', '--kind', 'huawei.dataarts.dlf.connections', '--config', JSON.stringify({ endpoint: sim.baseUrl, projectId: sim.projectId }), '--credential', 'sim');
    expect((await cli('backup', '--json')).exitCode).toBe(0);
    const idA = masterKeyFromBytes(keyA, 'a').id;
    const idB = masterKeyFromBytes(keyB, 'b').id;
    expect(await keyIdsInDatabase()).toEqual([idA, idA]);

    // The new key alone cannot open what the old one sealed.
    process.env.APIVAULT_MASTER_KEY = keyB.toString('base64');
    const refused = await cli('backup', '--json');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`sealed with master key ${idA}`);
    await expect(cli('keys', 'rotate')).rejects.toThrow(/cannot open credential sim .*nothing was changed/);

    const oldKeyFile = path.join(dataDir, 'old.key');
    writeFileSync(oldKeyFile, keyA.toString('base64'));
    const report = JSON.parse((await cli('keys', 'rotate', '--old-key-file', oldKeyFile)).stdout);
    delete process.env.APIVAULT_MASTER_KEY_PREVIOUS_FILE;
    expect(report).toEqual({ keyId: idB, credentials: { resealed: 1, alreadyCurrent: 0 }, settings: { resealed: 1, alreadyCurrent: 0 } });
    expect(await keyIdsInDatabase()).toEqual([idB, idB]);

    const after = await cli('backup', '--json');
    expect(after.exitCode).toBe(0);
    expect(JSON.parse(after.stdout)[0].run.stats).toMatchObject({ added: 0, modified: 0 });
    expect(JSON.parse((await cli('keys', 'rotate')).stdout)).toMatchObject({ credentials: { resealed: 0, alreadyCurrent: 1 }, settings: { resealed: 0, alreadyCurrent: 1 } });
  });

  it('validates apivault.yaml with errors that point at the line, and applies it', async () => {
    const bad = path.join(dataDir, 'bad.yaml');
    writeFileSync(bad, ['sources:', '  - name: declared', '    kind: huawei.dataarts.dlf.connections', '    config: { projectId: p }', '    schedule: "61 * * * *"'].join('\n'));
    await expect(cli('config', 'validate', '--config', bad)).rejects.toThrow(/bad\.yaml:4:13: sources\[0\]\.config: .*endpoint[\s\S]*bad\.yaml:5:15: sources\[0\]\.schedule/);

    const good = path.join(dataDir, 'apivault.yaml');
    writeFileSync(good, ['sources:', '  - name: declared', '    kind: huawei.dataarts.dlf.connections', `    config: { endpoint: "${sim.baseUrl}", projectId: "${sim.projectId}" }`, '    credential: sim'].join('\n'));
    expect(JSON.parse((await cli('config', 'validate', '--config', good)).stdout)).toMatchObject({ valid: true, sources: ['declared'] });
    const applied = JSON.parse((await cli('config', 'apply', '--config', good)).stdout);
    expect(applied.sources).toEqual([expect.objectContaining({ name: 'declared', changed: true })]);
    process.env.APIVAULT_CONFIG = good;
    expect(JSON.parse((await cli('config', 'apply')).stdout).sources).toEqual([expect.objectContaining({ name: 'declared', changed: false })]);
    delete process.env.APIVAULT_CONFIG;
  });

  it('records what was done through the CLI in the audit trail', async () => {
    const db = await openDatabase({ type: 'pglite', dataDir: path.join(dataDir, 'db') });
    try {
      const events = await db.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
      expect(events.map((e) => [e.actor, e.method, e.route])).toEqual([
        ['cli', 'CLI', 'apivault token create'],
        ['cli', 'CLI', 'apivault token revoke'],
        ['cli', 'CLI', 'apivault keys rotate'],
        ['cli', 'CLI', 'apivault keys rotate'],
        ['config-file', 'APPLY', 'apivault.yaml source'],
      ]);
    } finally {
      await db.close();
    }
  });
});
