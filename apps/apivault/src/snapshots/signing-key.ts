import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The Ed25519 key that signs snapshot manifests, with what auditors need to check it. */
export interface SnapshotSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo, PEM: what `GET /api/v1/snapshots/public-key` serves. */
  publicKeyPem: string;
  /** "sha256:" + hex SHA-256 of the DER public key: short enough to compare by eye. */
  fingerprint: string;
  /** Where it came from, for the start-up log (never the key). */
  origin: string;
  generated: boolean;
}

export interface SigningKeySettings {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  /** Production refuses to invent a key: snapshots signed by a key nobody kept prove nothing. */
  production: boolean;
}

export const SIGNING_KEY_FILE_NAME = 'snapshot-signing.key';

/**
 * APIVAULT_SNAPSHOT_SIGNING_KEY (PKCS#8 PEM, or its DER in base64), else
 * APIVAULT_SNAPSHOT_SIGNING_KEY_FILE, else, outside production only,
 * `<dataDir>/snapshot-signing.key`, generated on first use with mode 0600.
 */
export function loadSigningKey({ env = process.env, dataDir, production }: SigningKeySettings): SnapshotSigningKey {
  const inline = env.APIVAULT_SNAPSHOT_SIGNING_KEY?.trim();
  if (inline) return signingKeyFrom(inline, 'APIVAULT_SNAPSHOT_SIGNING_KEY', false);
  const file = env.APIVAULT_SNAPSHOT_SIGNING_KEY_FILE?.trim();
  if (file) {
    if (!existsSync(file)) throw new Error(`APIVAULT_SNAPSHOT_SIGNING_KEY_FILE points at ${file}, which does not exist`);
    return signingKeyFrom(readFileSync(file, 'utf8'), file, false);
  }
  if (production) {
    throw new Error(
      'NODE_ENV=production needs a snapshot signing key: set APIVAULT_SNAPSHOT_SIGNING_KEY or APIVAULT_SNAPSHOT_SIGNING_KEY_FILE ' +
        '(an Ed25519 private key in PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519 -out snapshot-signing.key`)',
    );
  }
  const generatedFile = path.join(dataDir, SIGNING_KEY_FILE_NAME);
  if (existsSync(generatedFile)) return signingKeyFrom(readFileSync(generatedFile, 'utf8'), generatedFile, false);
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(generatedFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(generatedFile, 0o600);
  return signingKeyFrom(readFileSync(generatedFile, 'utf8'), generatedFile, true);
}

export function signingKeyFrom(text: string, origin: string, generated: boolean): SnapshotSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = text.includes('-----BEGIN')
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new Error(`the snapshot signing key from ${origin} is not a PKCS#8 private key (PEM, or DER in base64): ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the snapshot signing key from ${origin} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; snapshots are signed with Ed25519`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
    origin,
    generated,
  };
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}
