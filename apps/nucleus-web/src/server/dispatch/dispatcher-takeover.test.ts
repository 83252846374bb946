import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import type { GridServer } from '../grid/start-grid-server.ts';
import {
  type Forwarder,
  forward,
  pointStarAt,
  restartStar,
  type TestStar,
  treeHashes,
  waitUntilScheduled,
} from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf, writeRandom } from './grid-world.ts';

/**
 * Two Nucleus processes on one database, as behind a load balancer: the Stars dial a TCP
 * forwarder that points at the leader, and at the standby once the leader is gone.
 */
let world: GridWorld;
let standby: GridServer;
let forwarder: Forwarder;
const standbyLog: string[] = [];

beforeAll(async () => {
  world = await createGridWorld('takeover');
  standby = await world.startStandby((line) => standbyLog.push(line), { leaseTtlMs: 1500 });
  forwarder = await forward(world.grid().controlPort);
  for (const star of [world.alpha, world.beta]) await dialThrough(star, forwarder.port);
});
afterAll(async () => {
  forwarder?.close();
  await world?.close();
});

describe('one dispatching Nucleus per database', () => {
  it('runs every run on the leader only, and the standby finishes its push after taking over', async () => {
    const { alpha, beta, test, job, queue, finished } = world;
    const leader = world.grid();
    const leaderHolder = leader.dispatcher?.holder;
    expect(leader.dispatcher?.isLeading()).toBe(true);
    await waitFor('the standby to stand by', async () =>
      standbyLog.some((line) => line.includes('standing by')) ? true : undefined,
    );
    expect(standby.dispatcher?.isLeading()).toBe(false);

    const small = path.join(alpha.root, 'small');
    await writeRandom(path.join(small, 'a.bin'), 1 * MiB);
    const first = await job({
      name: 'on-the-leader',
      from: alpha,
      to: beta,
      sourcePath: small,
      destinationPath: path.join(beta.root, 'small'),
    });
    const firstRun = await queue(first.id);
    standby.dispatcher?.wake();
    expect(await finished(firstRun)).toMatchObject({ state: 'succeeded' });
    expect(await issuersOf(firstRun)).toEqual([leaderHolder]);

    // A long push is in flight when the leader stops; the standby takes the lease and re-attaches.
    const {
      runId: secondRun,
      source: big,
      size,
    } = await world.transferInFlight({
      name: 'big',
      jobName: 'across-takeover',
      from: alpha,
      to: beta,
      files: { 'big.bin': 160 * MiB },
      receivedBytes: 24 * MiB,
    });
    await leader.stop();
    expect((await world.runRow(secondRun)).state).toBe('running');
    forwarder.retarget(standby.controlPort);
    await waitFor('the standby to take the lease', async () =>
      standby.dispatcher?.isLeading() ? true : undefined,
    );
    for (const star of [alpha, beta]) await waitUntilScheduled(standby, star);

    const done = await finished(secondRun, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'big'))).toEqual(await treeHashes(big));
    // The leader's push was the only one: it carried every byte and the new leader stored its result.
    expect(
      await test.db.gridCommand.findMany({
        where: { runId: secondRun },
        select: { state: true, issuedBy: true },
      }),
    ).toEqual([{ state: 'succeeded', issuedBy: leaderHolder }]);
    expect(transferOf(done.checkpoints).newBytes).toBe(size);

    // New work now goes out from the new leader.
    const third = await job({
      name: 'after-takeover',
      from: beta,
      to: alpha,
      sourcePath: small.replace(alpha.root, beta.root),
      destinationPath: path.join(alpha.root, 'back'),
    });
    await writeRandom(path.join(beta.root, 'small', 'b.bin'), 1 * MiB);
    const thirdRun = await queue(third.id);
    standby.dispatcher?.wake();
    expect(await finished(thirdRun)).toMatchObject({ state: 'succeeded' });
    expect(await issuersOf(thirdRun)).toEqual([standby.dispatcher?.holder]);
  });
});

async function issuersOf(runId: string): Promise<string[]> {
  const rows = await world.test.db.gridCommand.findMany({ where: { runId }, select: { issuedBy: true } });
  return [...new Set(rows.map((row) => row.issuedBy))];
}

/** Points the Star's star.toml at the forwarder and restarts it. */
async function dialThrough(star: TestStar, port: number): Promise<void> {
  await pointStarAt(star, port);
  await restartStar(world.grid(), star, world.dir.path);
}
