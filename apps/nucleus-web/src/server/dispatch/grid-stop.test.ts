import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { settlesWithin } from '../grid/server-tasks.ts';
import { createGridWorld, type GridWorld, MiB } from './grid-world.ts';

/**
 * The Nucleus shuts down with `grid.stop()` then `$disconnect()`. Presence writes run beside the
 * dispatcher, awaited by nobody; one still running after stop holds a pool client, and Prisma leaks
 * the client of a write that is starting while it disconnects, so `$disconnect` waits forever.
 */
let world: GridWorld;
let locker: pg.Client | undefined;
beforeAll(async () => {
  world = await createGridWorld('stop');
});
afterAll(async () => {
  await locker?.end();
  await world?.close();
});

describe('stopping the grid server', () => {
  it('returns only once its database work is done, so the pool can be closed', async () => {
    const { alpha, beta, test } = world;
    // Work in flight at the stop: a push, its progress writes and ticket requests, the Stars' sessions.
    await world.transferInFlight({
      name: 'at-stop',
      from: alpha,
      to: beta,
      files: { 'big.bin': 64 * MiB },
      compression: 'zstd:19',
      receivedBytes: 4 * MiB,
    });
    // Another transaction holds beta's row, so beta's next heartbeat write waits in the database.
    const lock = new pg.Client({ connectionString: test.url });
    locker = lock;
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query(`SELECT 1 FROM "Star" WHERE id = $1 FOR UPDATE`, [beta.id]);
    await waitFor('a heartbeat write to wait for the row', async () => {
      const { rows } = await lock.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`,
      );
      return (rows[0]?.waiting ?? 0) > 0 ? true : undefined;
    });

    const checkedOutAtStop = world
      .grid()
      .stop()
      .then(() => test.pool.totalCount - test.pool.idleCount);
    // A stop that does not wait for the write returns meanwhile, with the write's client still out.
    await settlesWithin(checkedOutAtStop, 3000);
    await lock.query('ROLLBACK');
    expect(await checkedOutAtStop).toBe(0);
    // Nothing starts after the stop either: the pool closes (a hang here is the defect, not slowness).
    expect(await settlesWithin(test.db.$disconnect(), 20_000)).toBe(true);
  }, 120_000);
});
