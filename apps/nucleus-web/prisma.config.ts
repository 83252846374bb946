import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// The schema and migrations live in the repo's top-level prisma/ folder; the CLI runs from here.
// Run prisma through `npm run db:*` (or with NODE_OPTIONS=--require ../../prisma/cli/unref-long-timers.cjs).
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
require(path.join(root, 'prisma/cli/pg-name-oids-as-text.cjs'));

// prisma.config.ts turns off Prisma's own .env loading.
for (const file of [path.join(import.meta.dirname, '.env'), path.join(root, '.env')]) {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Separate fields, not a connection string, so the shadow database really is another database. */
function poolConfig(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.replace(/^\//, '') || 'postgres',
    idleTimeoutMillis: 500,
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(root, 'prisma/schema.prisma'),
  migrations: { path: path.join(root, 'prisma/migrations') },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new Error(
        'DATABASE_URL is not set: point it at PostgreSQL, e.g. postgresql://postgres@127.0.0.1:5432/orbit_dev',
      );
    return new PrismaPg(poolConfig(url));
  },
});
