import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import type { GridServer } from '../grid/start-grid-server.ts';
import { pointStarAt, restartStar, treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, writeRandom } from './grid-world.ts';

/**
 * Two Nucleus processes on one database; only the leader sends commands. A Star configured to dial
 * the standby (a load balancer's pick, say) is told where the leader is and works from there.
 */
let world: GridWorld;
let standby: GridServer;
const standbyLog: string[] = [];

beforeAll(async () => {
  world = await createGridWorld('redirect');
  standby = await world.startStandby((line) => standbyLog.push(line));
});
afterAll(() => world?.close());

describe('a Star that dials a standby Nucleus', () => {
  it('is sent to the dispatching one, and its runs go on there', async () => {
    const { alpha, beta, dir, job, queue, finished, test } = world;
    const leader = world.grid();
    await waitFor('the standby to stand by', async () =>
      standbyLog.some((line) => line.includes('standing by')) ? true : undefined,
    );
    await pointStarAt(beta, standby.controlPort);
    await waitFor('the leader to see the old session go', async () =>
      leader.hub.isConnected(beta.id) ? undefined : true,
    );
    await restartStar(leader, beta, dir.path);
    // It reached the standby first, was redirected, and holds its session with the leader only.
    await waitFor('the Star to say where it connected', async () =>
      beta.process.output().includes(`connected to 127.0.0.1:${leader.controlPort}`) ? true : undefined,
    );
    expect(beta.process.output()).toMatch(/redirected: .*dialling 127\.0\.0\.1:\d+/);
    expect(beta.process.output()).not.toContain(`connected to 127.0.0.1:${standby.controlPort}`);
    expect(standby.hub.isConnected(beta.id)).toBe(false);

    await writeRandom(path.join(alpha.root, 'to-redirected', 'a.bin'), 2 * MiB);
    const created = await job({
      name: 'to-redirected',
      from: alpha,
      to: beta,
      sourcePath: path.join(alpha.root, 'to-redirected'),
      destinationPath: path.join(beta.root, 'to-redirected'),
    });
    const runId = await queue(created.id);
    const done = await finished(runId);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    expect(await treeHashes(path.join(beta.root, 'to-redirected'))).toEqual(
      await treeHashes(path.join(alpha.root, 'to-redirected')),
    );
    // The leader sent the work: the Star's session there is the one that carried it.
    const issuers = await test.db.gridCommand.findMany({ where: { runId }, select: { issuedBy: true } });
    expect(issuers.map((row) => row.issuedBy)).toEqual([leader.dispatcher?.holder]);
  });
});
