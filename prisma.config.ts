import { defineConfig } from 'prisma/config';

// The CLI only needs the schema for `generate`; at run time the service builds its own client
// with a driver adapter (PGlite or pg) and applies migrations itself (docs/database.md).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/apivault' },
});
