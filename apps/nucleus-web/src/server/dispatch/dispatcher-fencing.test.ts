import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import type { GridServer } from '../grid/start-grid-server.ts';
import { type PausableClock, pausableClock } from '../testing/pausable-clock.ts';
import { treeHashes, waitUntilScheduled } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf } from './grid-world.ts';

/**
 * Two Nucleus processes on one database with real Stars. The leader stalls mid-push (its lease
 * clock stops: no renewal, no watchdog), the other takes over; when the stalled one writes again
 * its write is refused, it stands down and sends its Stars to the new leader, which finishes the
 * push exactly once.
 */
let world: GridWorld;
let clock: PausableClock;
let standby: GridServer;
const leaderLog: string[] = [];
const standbyLog: string[] = [];

beforeAll(async () => {
  clock = pausableClock();
  world = await createGridWorld('fencing', {
    dispatcher: { leaseTtlMs: 3000, leaseClock: clock },
    log: (line) => leaderLog.push(line),
  });
  standby = await world.startStandby((line) => standbyLog.push(line), { leaseTtlMs: 3000 });
});
afterAll(async () => {
  clock?.resume();
  await world?.close();
});

describe('a dispatcher that stalls past a takeover', () => {
  it('is fenced off, stands down, and its push is recorded once by the new leader', async () => {
    const { alpha, beta, test, finished } = world;
    const stalled = world.grid();
    await waitFor('the standby to stand by', async () =>
      standbyLog.some((line) => line.includes('standing by')) ? true : undefined,
    );
    const stalledEpoch = await leaseEpoch();

    const { runId, source, size } = await world.transferInFlight({
      name: 'fenced',
      from: alpha,
      to: beta,
      files: { 'big.bin': 48 * MiB },
      // zstd's slowest level keeps the push busy well past the takeover.
      compression: 'zstd:19',
      receivedBytes: 8 * MiB,
    });
    clock.pause();
    await waitFor('the standby to take over', async () =>
      standby.dispatcher?.isLeading() ? true : undefined,
    );
    expect(await leaseEpoch()).toBe(stalledEpoch + 1);

    // Its clock stopped, it cannot notice the takeover by itself: its next write (progress from its
    // Stars, or the batch) is refused, it stands down and sends the Stars over. (That write may come
    // before this line runs, so whether it still believes it leads here is not asserted; the
    // 'fencing:' line and the dispatcher.fenced rows below say it was the refusal that stopped it.)
    for (const star of [alpha, beta]) await waitUntilScheduled(standby, star);
    expect(stalled.dispatcher?.isLeading()).toBe(false);
    expect(leaderLog.some((line) => line.includes('fencing:'))).toBe(true);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'fenced'))).toEqual(await treeHashes(source));
    // One push, sent by the stalled leader, recorded once under the new epoch: counters not doubled.
    expect(
      await test.db.gridCommand.findMany({ where: { runId }, select: { state: true, issuedBy: true } }),
    ).toEqual([{ state: 'succeeded', issuedBy: stalled.dispatcher?.holder }]);
    expect(transferOf(done.checkpoints).newBytes).toBe(size);
    expect(done.bytesWritten).toBe(BigInt(size));

    const refusals = await test.db.auditLog.findMany({
      where: { action: 'dispatcher.fenced' },
      select: { objectId: true, after: true },
    });
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({
        objectId: runId,
        after: { holder: stalled.dispatcher?.holder, epoch: stalledEpoch, currentEpoch: stalledEpoch + 1 },
      });
    }
    expect(
      await test.db.auditLog.count({
        where: { action: 'dispatcher.lease_taken', after: { path: ['epoch'], equals: stalledEpoch + 1 } },
      }),
    ).toBe(1);

    clock.resume();
    await waitFor('the stalled process to stand by', async () =>
      leaderLog.some((line) => line.includes('standing by')) ? true : undefined,
    );
  }, 240_000);
});

async function leaseEpoch(): Promise<number> {
  const row = await world.test.db.dispatcherLease.findUniqueOrThrow({
    where: { name: 'dispatcher' },
    select: { epoch: true },
  });
  return row.epoch;
}
