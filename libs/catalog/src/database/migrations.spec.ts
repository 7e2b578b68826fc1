import pg from 'pg';
import { openMigratedTestDatabase, testDatabaseTargets } from '../../../../test/support/test-databases.js';
import { loadMigrations } from './migrations.js';

describe.each(testDatabaseTargets)('migrations on $name', (target) => {
  it('creates every table, records each migration as Prisma does, and is idempotent', async () => {
    const { db, config, drop } = await openMigratedTestDatabase(target);
    try {
      const migrations = loadMigrations();
      expect(migrations.length).toBeGreaterThan(0);
      const again = await db.migrate();
      expect(again).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });

      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }[]>(
        'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
        migrations.map((m) => [m.name, m.checksum, 1]),
      );
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);

      // The generated client can use every model, i.e. the SQL matches the Prisma schema.
      const source = await db.prisma.source.create({ data: { name: 's', kind: 'k', config: { a: 1 } } });
      expect(await db.prisma.catalogItem.count({ where: { sourceId: source.id } })).toBe(0);
      expect(await db.prisma.run.count()).toBe(0);
      expect(await db.prisma.changeEvent.count()).toBe(0);
      if (config.type === 'postgres') {
        const client = new pg.Client({ connectionString: config.url });
        await client.connect();
        const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
        await client.end();
        expect(tables.rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['sources', 'runs', 'catalog_versions']));
      }
    } finally {
      await drop();
    }
  });
});
