import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is one process's private database: two processes opening the same directory would each
 * see their own copy and overwrite each other's files. This lock file (with the owner's pid)
 * makes the second one stop with a clear message instead. A lock left by a dead process is taken
 * over.
 */
export class PgliteDirectoryLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): PgliteDirectoryLock {
    const file = path.join(dataDir, 'apivault.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return new PgliteDirectoryLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
        if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
          throw new Error(
            `the embedded database in ${dataDir} is in use by process ${owner} (a running \`apivault serve\`?). ` +
              'Use the admin API while it runs, stop it first, or use PostgreSQL (DATABASE_URL) to share the catalog between processes.',
          );
        }
        rmSync(file, { force: true });
      }
    }
    throw new Error(`could not lock the embedded database in ${dataDir}`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
