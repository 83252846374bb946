import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDbOnPool, type Db } from '../db/create-db.ts';

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
  /** The pool under `db`: `totalCount - idleCount` clients are checked out. */
  readonly pool: pg.Pool;
  /** Runs SQL as the superuser on this database (e.g. to tamper with the audit log). */
  superuser(sql: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the template the global setup built for this run. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `orbit_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${inject('orbitTemplateDatabase')}"`);
  const url = databaseUrl(name);
  const { db, pool } = createDbOnPool({ url, poolSize: 4 });
  return {
    name,
    url,
    db,
    pool,
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
      // A pool waits for its clients to come back. One still out after everything was stopped is
      // a leak (work that outlived its owner's stop): the database goes anyway, and the test fails.
      const checkedOut = pool.totalCount - pool.idleCount;
      const disconnected = db.$disconnect().then(() => true);
      const late = new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
      const clean = await Promise.race([disconnected, late]);
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      if (!clean) {
        throw new Error(
          `test database ${name}: $disconnect still waited for a pool client after 10 s (${checkedOut} checked out at teardown): something that uses the database outlived its stop`,
        );
      }
    },
  };
}
