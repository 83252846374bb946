import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/create-db.ts';

export type Readiness = { ready: true; migrations: number } | { ready: false; reason: string };

/** Ready when the database answers and every migration in prisma/migrations is applied. */
export async function checkReadiness(db: Db, migrationsDir: string): Promise<Readiness> {
  let applied: { migration_name: string }[];
  try {
    applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ready: false, reason: `database unreachable or not migrated: ${detail}` };
  }
  const expected = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const done = new Set(applied.map((row) => row.migration_name));
  const missing = expected.filter((name) => !done.has(name));
  if (missing.length > 0) {
    return {
      ready: false,
      reason: `migrations not applied: ${missing.join(', ')} (run prisma migrate deploy)`,
    };
  }
  return { ready: true, migrations: expected.length };
}

export function migrationsDir(root: string): string {
  return path.join(root, 'prisma', 'migrations');
}
