import { createHash } from 'node:crypto';
import { emptyPushTotals } from '@orbit/engine/transfer/push-totals';
import type { PushChunksResult__Output } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { pausableClock } from '../testing/pausable-clock.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { type LeaseTerm, startDispatcherLease } from './dispatcher-lease.ts';
import { fencedTestDeps } from './fenced-deps.fixture.ts';
import { FencedOutError } from './lease-fence.ts';
import { recordBatch } from './run-progress.ts';
import { transitionRun } from './run-transitions.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test?.drop());

/** A dispatcher's lease and the deps its writes go through, as `startDispatcher` builds them per term. */
function dispatcher(holder: string, clock = pausableClock()) {
  const log: string[] = [];
  let term: LeaseTerm | undefined;
  const lease = startDispatcherLease({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    holder,
    // Long enough that a loaded machine renews well within it, so the stall below is the only one.
    ttlMs: 3000,
    clock,
    log: (line) => log.push(line),
    onLead: (taken) => {
      term = taken;
    },
  });
  const deps = (): DispatchDeps => {
    if (!term) throw new Error(`${holder} never led`);
    const { epoch } = term;
    return fencedTestDeps({
      db: test.db,
      epoch,
      holder,
      log: (line) => log.push(line),
      refused: (reason) => lease.fencedOut(epoch, reason),
    });
  };
  return { lease, log, clock, deps, term: () => term };
}

/** A running run with one pending file and the open push that carries it. */
async function runningRun() {
  const user = await createUser(test);
  const team = await createTeamWith(test, [{ user, role: 'owner' }]);
  const job = await test.db.job.create({
    data: { teamId: team.id, name: 'fenced', sourcePath: '/src', destinationPath: '/dst' },
    select: { id: true },
  });
  const run = await test.db.run.create({
    data: { teamId: team.id, jobId: job.id, state: 'running', filesTotal: 1, bytesTotal: 1000n },
    select: { id: true, teamId: true },
  });
  await test.db.runFile.create({ data: { runId: run.id, path: 'a.bin', size: 1000n }, select: { id: true } });
  const commandId = createHash('sha256').update(run.id).digest('hex').slice(0, 32);
  await test.db.gridCommand.create({
    data: {
      id: commandId,
      teamId: team.id,
      starId: 'star-1',
      runId: run.id,
      kind: 'pushChunks',
      issuedBy: 'stalled',
      deadline: new Date(Date.now() + 60_000),
    },
    select: { id: true },
  });
  return { run, commandId };
}

const result: PushChunksResult__Output = {
  chunksSent: 4,
  chunksSkipped: 0,
  bytesSent: 1000,
  bytesRead: 1000,
  cutBytes: 1000,
  guidedBytes: 0,
  newBytes: 1000,
  filesSent: 1,
  filesUnchanged: 0,
  filesFailed: 0,
  connections: 1,
  files: [{ path: 'a.bin', status: 'sent', hash: 'h', size: 1000, reason: '', message: '' }],
};

describe('lease fencing', () => {
  it("refuses a stalled holder's late batch after a takeover, so the counters are written once", async () => {
    await test.db.dispatcherLease.deleteMany({});
    const stalled = dispatcher('stalled');
    await waitFor('the first holder to lead', async () => (stalled.lease.isHeld() ? true : undefined));
    const standby = dispatcher('standby');
    await waitFor('the standby to stand by', async () =>
      standby.log.some((line) => line.includes('standing by')) ? true : undefined,
    );
    const { run, commandId } = await runningRun();
    const stalledDeps = stalled.deps();

    // The holder stalls: it neither renews nor notices the time pass, so it still believes it leads.
    stalled.clock.pause();
    await waitFor('the standby to take over', async () => (standby.lease.isHeld() ? true : undefined));
    expect(stalled.lease.isHeld()).toBe(true);
    expect(standby.term()?.epoch).toBe((stalled.term()?.epoch ?? 0) + 1);

    // The new holder records the batch (it re-attached to the push), then the stalled one wakes
    // with the same result in hand and tries to record it too.
    const totals = emptyPushTotals();
    totals.newBytes = 1000;
    await recordBatch(standby.deps(), run, { commandId, result }, totals, { filesDone: 0, bytesDone: 0 });
    await expect(
      recordBatch(stalledDeps, run, { commandId, result }, totals, { filesDone: 0, bytesDone: 0 }),
    ).rejects.toBeInstanceOf(FencedOutError);
    // And a state change of its own is refused the same way.
    await expect(transitionRun(stalledDeps, run, 'running', 'succeed')).rejects.toBeInstanceOf(
      FencedOutError,
    );

    const row = await test.db.run.findUniqueOrThrow({
      where: { id: run.id },
      select: { state: true, filesDone: true, bytesDone: true, bytesWritten: true, chunksReused: true },
    });
    expect(row).toEqual({
      state: 'running',
      filesDone: 1,
      bytesDone: 1000n,
      bytesWritten: 1000n,
      chunksReused: 0,
    });
    expect(
      await test.db.gridCommand.findUniqueOrThrow({ where: { id: commandId }, select: { state: true } }),
    ).toEqual({
      state: 'succeeded',
    });
    // The stalled holder stood down at its first refused write and said why.
    expect(stalled.lease.isHeld()).toBe(false);
    expect(stalled.log.some((line) => line.includes('a write was fenced off'))).toBe(true);
    const refusals = await test.db.auditLog.findMany({
      where: { action: 'dispatcher.fenced', teamId: run.teamId },
      orderBy: { seq: 'asc' },
      select: { objectId: true, after: true },
    });
    expect(refusals).toEqual([
      {
        objectId: run.id,
        after: expect.objectContaining({
          write: 'run.batch',
          holder: 'stalled',
          epoch: stalled.term()?.epoch,
          currentHolder: 'standby',
          currentEpoch: standby.term()?.epoch,
        }),
      },
      { objectId: run.id, after: expect.objectContaining({ write: 'run.succeed', holder: 'stalled' }) },
    ]);
    // The takeover itself is in the system chain.
    const takeover = await test.db.auditLog.findFirst({
      where: { action: 'dispatcher.lease_taken', chain: 'system' },
      orderBy: { seq: 'desc' },
      select: { before: true, after: true },
    });
    expect(takeover).toEqual({
      before: expect.objectContaining({ holder: 'stalled', epoch: stalled.term()?.epoch, expired: true }),
      after: expect.objectContaining({ holder: 'standby', epoch: standby.term()?.epoch }),
    });

    // Woken up, the stalled process finds the row held and stands by.
    stalled.clock.resume();
    await waitFor('the stalled process to stand by', async () =>
      stalled.log.some((line) => line.includes('standing by')) ? true : undefined,
    );
    expect(stalled.lease.isHeld()).toBe(false);
    await stalled.lease.release();
    await standby.lease.release();
  });
});
