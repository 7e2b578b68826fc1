import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSigningKey, SIGNING_KEY_FILE_NAME } from './signing-key.js';

describe('loadSigningKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'apivault-signing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pkcs8 = () => generateKeyPairSync('ed25519').privateKey;

  it('reads a PEM key from APIVAULT_SNAPSHOT_SIGNING_KEY, and the same key as base64 DER', () => {
    const key = pkcs8();
    const pem = loadSigningKey({ env: { APIVAULT_SNAPSHOT_SIGNING_KEY: key.export({ type: 'pkcs8', format: 'pem' }).toString() }, dataDir: dir, production: true });
    const der = loadSigningKey({ env: { APIVAULT_SNAPSHOT_SIGNING_KEY: key.export({ type: 'pkcs8', format: 'der' }).toString('base64') }, dataDir: dir, production: true });
    expect(der.fingerprint).toBe(pem.fingerprint);
    expect(pem.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(pem.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const message = Buffer.from('manifest');
    expect(verify(null, message, der.publicKey, sign(null, message, pem.privateKey))).toBe(true);
  });

  it('reads APIVAULT_SNAPSHOT_SIGNING_KEY_FILE', () => {
    const file = path.join(dir, 'k.pem');
    writeFileSync(file, pkcs8().export({ type: 'pkcs8', format: 'pem' }));
    expect(loadSigningKey({ env: { APIVAULT_SNAPSHOT_SIGNING_KEY_FILE: file }, dataDir: dir, production: true }).origin).toBe(file);
  });

  it('generates a key into the data dir outside production (mode 0600), and reuses it', () => {
    const first = loadSigningKey({ env: {}, dataDir: dir, production: false });
    expect(first.generated).toBe(true);
    expect(statSync(path.join(dir, SIGNING_KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    const again = loadSigningKey({ env: {}, dataDir: dir, production: false });
    expect(again).toMatchObject({ generated: false, fingerprint: first.fingerprint });
  });

  it('refuses to start in production without a key, saying how to make one', () => {
    expect(() => loadSigningKey({ env: {}, dataDir: dir, production: true })).toThrow(/NODE_ENV=production needs a snapshot signing key: set APIVAULT_SNAPSHOT_SIGNING_KEY or APIVAULT_SNAPSHOT_SIGNING_KEY_FILE .*openssl genpkey -algorithm ed25519/);
  });

  it('refuses keys that are not Ed25519, or not keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadSigningKey({ env: { APIVAULT_SNAPSHOT_SIGNING_KEY: rsa }, dataDir: dir, production: true })).toThrow('is a rsa key; snapshots are signed with Ed25519');
    expect(() => loadSigningKey({ env: { APIVAULT_SNAPSHOT_SIGNING_KEY: 'bm90IGEga2V5' }, dataDir: dir, production: true })).toThrow(/from APIVAULT_SNAPSHOT_SIGNING_KEY is not a PKCS#8 private key/);
  });
});
