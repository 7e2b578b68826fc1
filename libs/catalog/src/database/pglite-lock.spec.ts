import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PgliteDirectoryLock } from './pglite-lock.js';

describe('PgliteDirectoryLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'apivault-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a directory locked by another live process, naming it', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      writeFileSync(path.join(dir, 'apivault.lock'), `${other.pid}\n`);
      expect(() => PgliteDirectoryLock.acquire(dir)).toThrow(new RegExp(`in use by process ${other.pid}`));
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a dead process, and releases it', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeFileSync(path.join(dir, 'apivault.lock'), `${dead.pid}\n`);
    const lock = PgliteDirectoryLock.acquire(dir);
    expect(existsSync(path.join(dir, 'apivault.lock'))).toBe(true);
    lock.release();
    expect(existsSync(path.join(dir, 'apivault.lock'))).toBe(false);
  });
});
