import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';

let test: TestDatabase;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);

beforeAll(async () => {
  process.on('warning', onWarning);
  test = await createTestDatabase();
});
afterAll(async () => {
  process.off('warning', onWarning);
  await test?.drop();
});

describe('the database client', () => {
  it("runs a transaction's nested reads one at a time on its connection, without pg queueing them", async () => {
    const { db } = test;
    const team = await db.team.create({
      data: {
        slug: 'serial',
        name: 'Serial',
        memberships: {
          create: { role: 'owner', user: { create: { email: 'serial@orbit.test', name: 'Serial' } } },
        },
      },
    });
    // Prisma's query interpreter loads the relations of an update's include together, on the
    // transaction's one connection; pg 8.19+ deprecates a query sent while another is running
    // (pg 9 will refuse it).
    const updated = await db.$transaction(async (tx) =>
      tx.team.update({
        where: { id: team.id },
        data: { name: 'Serial, renamed' },
        include: { memberships: { include: { user: true } }, stars: true, jobs: true, runs: true },
      }),
    );
    expect(updated.name).toBe('Serial, renamed');
    expect(updated.memberships.map((row) => [row.role, row.user.email])).toEqual([
      ['owner', 'serial@orbit.test'],
    ]);
    expect([updated.stars, updated.jobs, updated.runs]).toEqual([[], [], []]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((line) => line.includes('already executing a query'))).toEqual([]);
  });

  it('keeps a failed query from holding up the ones queued behind it', async () => {
    const client = await test.pool.connect();
    try {
      const results = await Promise.allSettled([
        client.query('SELECT 1 AS one'),
        client.query('SELECT no_such_column FROM "Team"'),
        client.query('SELECT 2 AS two'),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results[2]?.status === 'fulfilled' && results[2].value.rows).toEqual([{ two: 2 }]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((line) => line.includes('already executing a query'))).toEqual([]);
    } finally {
      client.release();
    }
  });
});
