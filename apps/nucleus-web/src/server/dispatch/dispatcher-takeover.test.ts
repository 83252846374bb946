import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { type GridServer, startGridServer } from '../grid/start-grid-server.ts';
import { TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { restartStar, type TestStar, treeHashes, waitUntilScheduled } from './grid-e2e-harness.ts';
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
  standby = await startGridServer({
    prisma: world.test.db,
    auditKey: TEST_AUDIT_KEY,
    stateDir: path.join(world.dir.path, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    heartbeatIntervalMs: 300,
    dispatcher: { pollMs: 200, leaseTtlMs: 1500 },
    log: (line) => standbyLog.push(line),
  });
  forwarder = await forward(world.grid().controlPort);
  for (const star of [world.alpha, world.beta]) await dialThrough(star, forwarder.port);
});
afterAll(async () => {
  forwarder?.close();
  await standby?.stop();
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
  star.process.kill();
  await star.process.exited;
  const text = await readFile(star.configFile, 'utf8');
  const rewritten = text.replace(/^address = "127\.0\.0\.1:\d+"$/m, `address = "127.0.0.1:${port}"`);
  if (rewritten === text) throw new Error(`no hub address line in ${star.configFile}:\n${text}`);
  await writeFile(star.configFile, rewritten, { mode: 0o600 });
  await restartStar(world.grid(), star, world.dir.path);
}

interface Forwarder {
  readonly port: number;
  /** Sends new connections to another port and cuts the current ones. */
  retarget(port: number): void;
  close(): void;
}

async function forward(initial: number): Promise<Forwarder> {
  let target = initial;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const upstream = connect(target, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => undefined);
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the forwarder has no port');
  return {
    port: address.port,
    retarget(port) {
      target = port;
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
