import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The 256-bit key that encrypts credentials and installation secrets, with a short id for rotation. */
export interface MasterKey {
  id: string;
  key: Buffer;
  /** Where it came from, for the start-up log line (never the key itself). */
  origin: string;
}

export function masterKeyFromBytes(key: Buffer, origin: string): MasterKey {
  if (key.length !== 32) throw new Error(`The master key must be 32 bytes (base64 or hex encoded); got ${key.length} bytes from ${origin}`);
  const id = `mk-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  return { id, key, origin };
}

function decodeKey(text: string, origin: string): MasterKey {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return masterKeyFromBytes(bytes, origin);
}

export interface MasterKeySettings {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  /** Production refuses to invent a key: losing a generated key means losing every credential. */
  production: boolean;
}

/**
 * APIVAULT_MASTER_KEY (base64 or hex), else APIVAULT_MASTER_KEY_FILE, else, outside production
 * only, `<dataDir>/master.key`, generated on first use with mode 0600.
 */
export function loadMasterKey({ env = process.env, dataDir, production }: MasterKeySettings): MasterKey & { generated: boolean } {
  if (env.APIVAULT_MASTER_KEY) return { ...decodeKey(env.APIVAULT_MASTER_KEY, 'APIVAULT_MASTER_KEY'), generated: false };
  if (env.APIVAULT_MASTER_KEY_FILE) {
    const file = env.APIVAULT_MASTER_KEY_FILE;
    if (!existsSync(file)) throw new Error(`APIVAULT_MASTER_KEY_FILE points at ${file}, which does not exist`);
    return { ...decodeKey(readFileSync(file, 'utf8'), file), generated: false };
  }
  if (production) {
    throw new Error('NODE_ENV=production needs a master key: set APIVAULT_MASTER_KEY or APIVAULT_MASTER_KEY_FILE (32 random bytes, base64)');
  }
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) return { ...decodeKey(readFileSync(file, 'utf8'), file), generated: false };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { ...decodeKey(readFileSync(file, 'utf8'), file), generated: true };
}

export interface PreviousKeySettings {
  env?: NodeJS.ProcessEnv;
  /** `apivault keys rotate --old-key-file`: wins over the environment. */
  oldKeyFile?: string;
}

/**
 * Keys that sealed secrets before a rotation: `--old-key-file`, else APIVAULT_MASTER_KEY_PREVIOUS
 * (one or more keys, comma separated), else APIVAULT_MASTER_KEY_PREVIOUS_FILE. Used only to open.
 */
export function loadPreviousMasterKeys({ env = process.env, oldKeyFile }: PreviousKeySettings): MasterKey[] {
  if (oldKeyFile) {
    if (!existsSync(oldKeyFile)) throw new Error(`--old-key-file ${oldKeyFile} does not exist`);
    return [decodeKey(readFileSync(oldKeyFile, 'utf8'), oldKeyFile)];
  }
  const inline = env.APIVAULT_MASTER_KEY_PREVIOUS?.trim();
  if (inline) return inline.split(',').map((text, i) => decodeKey(text, `APIVAULT_MASTER_KEY_PREVIOUS[${i}]`));
  const file = env.APIVAULT_MASTER_KEY_PREVIOUS_FILE?.trim();
  if (file) {
    if (!existsSync(file)) throw new Error(`APIVAULT_MASTER_KEY_PREVIOUS_FILE points at ${file}, which does not exist`);
    return [decodeKey(readFileSync(file, 'utf8'), file)];
  }
  return [];
}
