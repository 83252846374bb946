import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../db/create-db.ts';

/**
 * Tests run against a real PostgreSQL server: the developers' and CI's 127.0.0.1:5432 (user postgres, trust),
 * or ORBIT_TEST_DATABASE_URL (a superuser connection; test code, so it reads the environment itself).
 */
export const TEST_SERVER_URL =
  process.env.ORBIT_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly db: Db;
  /** Runs SQL as the superuser on this database (e.g. to tamper with the audit log). */
  superuser(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the template the global setup built for this run. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `orbit_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${inject('orbitTemplateDatabase')}"`);
  const url = databaseUrl(name);
  const db = createDb({ url, poolSize: 4 });
  return {
    name,
    url,
    db,
    async superuser(sql, params = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
    async drop() {
      // A pool waits for its clients to come back; one a stuck step still holds must not hang the
      // teardown: after a while the FORCE drop ends its connection instead.
      const disconnected = db.$disconnect().then(() => true);
      const late = new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
      if (!(await Promise.race([disconnected, late]))) {
        console.error(
          `test database ${name}: a connection was still in use after 10 s; dropping it with FORCE`,
        );
      }
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
