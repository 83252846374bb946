import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/create-db.ts';
import { adminQuery, createTestDatabase, databaseUrl, type TestDatabase } from '../testing/test-database.ts';
import { checkReadiness, migrationsDir } from './readiness.ts';

const root = path.resolve(import.meta.dirname, '../../../../..');
let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

describe('readiness', () => {
  it('is ready when every migration folder is applied', async () => {
    expect(await checkReadiness(test.db, migrationsDir(root))).toMatchObject({ ready: true });
  });

  it('names the migrations that are missing', async () => {
    await test.superuser(`DELETE FROM _prisma_migrations`);
    const verdict = await checkReadiness(test.db, migrationsDir(root));
    expect(verdict.ready).toBe(false);
    const folders = await readdir(migrationsDir(root), { withFileTypes: true });
    const names = folders
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(names.length).toBeGreaterThan(0);
    if (!verdict.ready) {
      expect(verdict.reason).toBe(`migrations not applied: ${names.join(', ')} (run prisma migrate deploy)`);
    }
  });

  it('says the database is not migrated when it is empty', async () => {
    const name = `orbit_test_empty_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const empty = createDb({ url: databaseUrl(name), poolSize: 1 });
    try {
      const verdict = await checkReadiness(empty, migrationsDir(root));
      expect(verdict).toMatchObject({ ready: false, reason: expect.stringContaining('not migrated') });
    } finally {
      await empty.$disconnect();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
