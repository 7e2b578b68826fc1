import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * prisma/schema.prisma and the committed migrations must describe the same database: the
 * service applies only the migrations, Prisma's client only knows the schema. The diff comes from
 * Prisma's own schema engine (wasm, offline) in scripts/migration-sql.mjs.
 */
describe('Prisma schema vs committed migrations', () => {
  it('has no drift', async () => {
    const { stdout } = await run(process.execPath, ['scripts/migration-sql.mjs'], { cwd: process.cwd(), timeout: 120_000 });
    expect(stdout.trim()).toBe('-- This is an empty migration.');
  }, 150_000);
});
