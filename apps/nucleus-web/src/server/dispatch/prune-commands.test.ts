import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerEnv } from '../env.ts';
import { createGridHub } from '../grid/grid-hub.ts';
import { waitFor } from '../grid/grid-test-harness.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedTestDeps } from './fenced-deps.fixture.ts';
import { FencedOutError } from './lease-fence.ts';
import { pruneFinishedCommands } from './prune-commands.ts';
import { startDispatcher } from './start-dispatcher.ts';

let test: TestDatabase;
let teamId: string;
beforeAll(async () => {
  test = await createTestDatabase();
  teamId = (await createTeamWith(test, [{ user: await createUser(test), role: 'owner' }])).id;
});
afterAll(() => test?.drop());

const DAY_MS = 24 * 60 * 60_000;

/** GridCommand rows of every kind of age and state; returns their ids by name. */
async function seedCommands() {
  await test.db.gridCommand.deleteMany({});
  const ago = (days: number) => new Date(Date.now() - days * DAY_MS);
  const rows = {
    oldSucceeded: { state: 'succeeded', finishedAt: ago(8) },
    oldFailed: { state: 'failed', finishedAt: ago(30) },
    oldAbandoned: { state: 'abandoned', finishedAt: ago(7.5) },
    recentSucceeded: { state: 'succeeded', finishedAt: ago(6) },
    // Open rows stay whatever their age: a dispatcher may still re-attach to them.
    oldOpen: { state: 'open', finishedAt: null },
  } as const;
  const ids: Record<string, string> = {};
  for (const [name, row] of Object.entries(rows)) {
    const id = randomUUID();
    ids[name] = id;
    await test.db.gridCommand.create({
      data: {
        id,
        teamId,
        starId: 'star-1',
        kind: 'pushChunks',
        issuedBy: 'earlier',
        issuedAt: ago(40),
        deadline: ago(39),
        state: row.state,
        finishedAt: row.finishedAt,
      },
      select: { id: true },
    });
  }
  return ids;
}

async function remaining(ids: Record<string, string>): Promise<string[]> {
  const rows = await test.db.gridCommand.findMany({ select: { id: true } });
  const left = new Set(rows.map((row) => row.id));
  return Object.keys(ids).filter((name) => left.has(ids[name] ?? ''));
}

async function holdLease(epoch: number): Promise<void> {
  await test.superuser(`DELETE FROM "DispatcherLease"`);
  await test.superuser(
    `INSERT INTO "DispatcherLease" (name, holder, epoch, "acquiredAt", "expiresAt")
     VALUES ('dispatcher', 'pruner', $1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + interval '1 hour')`,
    [epoch],
  );
}

function deps(epoch: number): DispatchDeps {
  return fencedTestDeps({ db: test.db, epoch, holder: 'pruner' });
}

describe('GridCommand retention', () => {
  it('deletes finished commands past the retention in batches and never an open one', async () => {
    const ids = await seedCommands();
    await holdLease(3);
    const pruned = await pruneFinishedCommands(deps(3), { olderThanMs: 7 * DAY_MS, batchSize: 2 });
    expect(pruned).toBe(3);
    expect(await remaining(ids)).toEqual(['recentSucceeded', 'oldOpen']);
    // Nothing left to prune: a second pass deletes nothing.
    expect(await pruneFinishedCommands(deps(3), { olderThanMs: 7 * DAY_MS, batchSize: 2 })).toBe(0);
  });

  it('is a fenced write: a process that lost the lease prunes nothing', async () => {
    const ids = await seedCommands();
    await holdLease(5);
    await expect(pruneFinishedCommands(deps(4), { olderThanMs: 7 * DAY_MS })).rejects.toBeInstanceOf(
      FencedOutError,
    );
    expect(await remaining(ids)).toHaveLength(5);
  });

  it('is done by the leading dispatcher with the configured retention', async () => {
    const ids = await seedCommands();
    await test.superuser(`DELETE FROM "DispatcherLease"`);
    const dispatcher = startDispatcher({
      prisma: test.db,
      hub: createGridHub(),
      auditKey: TEST_AUDIT_KEY,
      caKey: undefined as unknown as CryptoKey,
      pollMs: 100,
      commandRetentionMs: 10 * DAY_MS,
      log: () => undefined,
    });
    try {
      await waitFor('the dispatcher to prune', async () =>
        (await remaining(ids)).length < 5 ? true : undefined,
      );
      expect(await remaining(ids)).toEqual(['oldSucceeded', 'oldAbandoned', 'recentSucceeded', 'oldOpen']);
    } finally {
      await dispatcher.stop();
    }
  });

  it('keeps 7 days by default and refuses a retention that is not a positive number of days', () => {
    expect(readServerEnv({}).grid?.commandRetentionMs).toBe(7 * DAY_MS);
    expect(readServerEnv({ ORBIT_GRID_COMMAND_RETENTION_DAYS: '30' }).grid?.commandRetentionMs).toBe(
      30 * DAY_MS,
    );
    expect(() => readServerEnv({ ORBIT_GRID_COMMAND_RETENTION_DAYS: '0' })).toThrow(
      /ORBIT_GRID_COMMAND_RETENTION_DAYS: .*more than 0 days/,
    );
    expect(() => readServerEnv({ ORBIT_GRID_COMMAND_RETENTION_DAYS: 'a week' })).toThrow(
      /ORBIT_GRID_COMMAND_RETENTION_DAYS/,
    );
  });
});
