import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { restoreArchive } from '@orbit/engine/pack/restore-archive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { cancelRun } from '../services/runs/cancel-run.ts';
import { restartStar, type TestStar, treeHashes } from './grid-e2e-harness.ts';
import {
  createGridWorld,
  type GridWorld,
  MiB,
  partialSize,
  receiverCheckpointed,
  receiverJournalled,
  transferOf,
  writeRandom,
} from './grid-world.ts';

/** Sent but not yet written at a receiver (PROTOCOL.md): the 32 MiB window, the 16 MiB write queue, a chunk over each. */
const IN_FLIGHT_BYTES = (32 + 16 + 2 * 4) * MiB;

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('recovery');
});
afterAll(() => world?.close());

describe('runs survive Stars and the Nucleus going away', () => {
  it('finishes a run whose source Star was killed and restarted mid-transfer', async () => {
    const { alpha, beta, dir, runRow, finished } = world;
    const { runId, source, size } = await world.transferInFlight({
      name: 'big',
      from: alpha,
      to: beta,
      files: { 'big.bin': 160 * MiB },
      receivedBytes: 24 * MiB,
    });
    alpha.process.kill();
    await alpha.process.exited;
    await expect(stat(path.join(beta.root, 'big', 'big.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    const stalled = await waitFor('the run to say why it stalls', async () => {
      const row = await runRow(runId);
      return row.error?.includes('"alpha" is offline') ? row : undefined;
    });
    expect(stalled.state).toBe('running');
    await restartStar(world.grid(), alpha, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({
      state: 'succeeded',
      filesDone: 1,
      bytesDone: BigInt(size),
    });
    // The second push resumed from the receiver's journal instead of sending the file again.
    expect(transferOf(done.checkpoints).newBytes).toBeLessThan(size);
    expect(await treeHashes(path.join(beta.root, 'big'))).toEqual(await treeHashes(source));
  });

  it('finishes a run whose destination Star was killed and restarted mid-transfer, in the same push', async () => {
    const { alpha, beta, dir, finished } = world;
    const { runId, source, destination, size } = await world.transferInFlight({
      name: 'to-killed',
      from: alpha,
      to: beta,
      files: { 'big.bin': 192 * MiB },
      receivedBytes: 24 * MiB,
    });
    // More journalled than flow control keeps in flight, so a resume from scratch would show.
    await receiverCheckpointed(beta, 64 * MiB);
    beta.process.kill();
    await beta.process.exited;
    const journalled = await receiverJournalled(beta);
    const written = await partialSize(path.join(destination, 'big.bin'));
    expect(journalled).toBeGreaterThanOrEqual(64 * MiB);
    await restartStar(world.grid(), beta, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(beta.root, 'to-killed'))).toEqual(await treeHashes(source));
    // The restarted Star took the sender's reconnect: the first push finished, nothing was dispatched again.
    expect(await world.pushes(runId)).toEqual([{ state: 'succeeded', error: null }]);
    const transfer = transferOf(done.checkpoints);
    expect(Number(transfer.connections)).toBeGreaterThanOrEqual(2);
    // It resumed from the journal: bytes sent twice are at most what was written but not journalled,
    // plus what flow control had in flight (the sender's window, the receiver's write queue).
    expect(Number(transfer.newBytes) - size).toBeLessThanOrEqual(written - journalled + IN_FLIGHT_BYTES);
  });

  it('finishes an archive run whose destination Star was killed mid-push, in the same push', async () => {
    const { alpha, beta, dir, finished } = world;
    const source = path.join(alpha.root, 'archive-killed');
    const sizes = { 'a-first.bin': 4 * MiB, 'b-large.bin': 192 * MiB, 'c-last.bin': 2 * MiB };
    for (const [name, bytes] of Object.entries(sizes)) await writeRandom(path.join(source, name), bytes);
    const archiveDir = path.join(beta.root, 'archive-killed');
    const job = await world.job({
      name: 'archive-killed',
      from: alpha,
      to: beta,
      mode: 'archive',
      sourcePath: source,
      destinationPath: archiveDir,
      // One container for the whole run: at the kill, every chunk stored is in the unsealed one.
      options: { packSize: 512 * MiB },
    });
    const runId = await world.queue(job.id);
    const packs = path.join(archiveDir, 'packs');
    const stored = await waitFor('the archive to store 64 MiB', async () => {
      for (const name of await readdir(packs).catch(() => [])) {
        const size = (await stat(path.join(packs, name)).catch(() => undefined))?.size ?? 0;
        if (name.endsWith('.tmp') && size >= 64 * MiB) return size;
      }
      return undefined;
    });
    beta.process.kill();
    await beta.process.exited;
    await restartStar(world.grid(), beta, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 3, error: null });
    // The sender's reconnect went on into the reopened store: one push, no second attempt.
    expect(await world.pushes(runId)).toEqual([{ state: 'succeeded', error: null }]);
    // The chunks the killed Star had stored counted: re-sent is at most what flow control had in
    // flight (the sender's 32 MiB window and a chunk), well under what the store held.
    const size = Object.values(sizes).reduce((sum, bytes) => sum + bytes, 0);
    const resent = Number(transferOf(done.checkpoints).newBytes) - size;
    expect(resent).toBeLessThanOrEqual(36 * MiB);
    expect(resent).toBeLessThan(stored);
    // Every file, the one confirmed before the kill too, restores from the run's snapshot.
    const restored = path.join(dir.path, 'restored-archive-killed');
    const snapshot = (done.checkpoints as { archive: { snapshotId: string } }).archive.snapshotId;
    await restoreArchive(archiveDir, restored, { snapshot });
    expect(await treeHashes(restored)).toEqual(await treeHashes(source));
  });

  it('cancels a running transfer on the Star and keeps the run cancelled', async () => {
    const { alpha, beta, ctx, test, runRow } = world;
    const { runId } = await world.transferInFlight({
      name: 'cancel',
      jobName: 'cancel-me',
      from: alpha,
      to: beta,
      files: { 'large.bin': 96 * MiB },
      // zstd's slowest level keeps the push busy for seconds, so the cancel lands mid-file.
      compression: 'zstd:19',
      receivedBytes: 8 * MiB,
    });
    const heartbeatOf = (star: TestStar) =>
      world
        .grid()
        .hub.connectedStars()
        .find((connected) => connected.starId === star.id)?.lastHeartbeat;
    await waitFor('the sender to report its transfer', async () =>
      (heartbeatOf(alpha)?.activeTransfers ?? 0) >= 1 ? true : undefined,
    );
    // Live progress: bytes of the file in flight and the file marked running, before it is done.
    const live = await waitFor('live progress on the run', async () => {
      const row = await runRow(runId);
      return row.bytesDone > 0n ? row : undefined;
    });
    expect(live).toMatchObject({ state: 'running', filesDone: 0 });
    expect(live.bytesDone).toBeLessThan(BigInt(96 * MiB));
    expect(await test.db.runFile.findFirst({ where: { runId }, select: { status: true } })).toEqual({
      status: 'running',
    });
    await cancelRun({ ctx, input: { runId } });
    await waitFor('the sender to stop', async () =>
      heartbeatOf(alpha)?.activeTransfers === 0 ? true : undefined,
    );
    const row = await runRow(runId);
    expect(row.state).toBe('cancelled');
    await expect(stat(path.join(beta.root, 'cancel', 'large.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    const actions = await test.db.auditLog.findMany({
      where: { objectId: runId },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    expect(actions.map((entry) => entry.action)).toEqual(['job.run', 'run.plan', 'run.start', 'run.cancel']);
  });

  it('re-attaches to a push that kept running while the Nucleus restarted: one push, bytes sent once', async () => {
    const { alpha, beta, test, finished } = world;
    const { runId, source, size } = await world.transferInFlight({
      name: 'restart',
      jobName: 'across-restart',
      from: beta,
      to: alpha,
      files: { 'r.bin': 160 * MiB, 's.bin': 2 * MiB },
      receivedBytes: 24 * MiB,
    });
    await world.restartNucleus();
    // Still in flight across the restart: the new Nucleus has to re-attach to finish it.
    expect((await world.runRow(runId)).state).toBe('running');
    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2, error: null });
    expect(await treeHashes(path.join(alpha.root, 'restart'))).toEqual(await treeHashes(source));
    // One push for the whole run, never cancelled: it carried every byte once, and the run counts
    // no bytes beyond the files' own.
    expect(await world.pushes(runId)).toEqual([{ state: 'succeeded', error: null }]);
    expect(transferOf(done.checkpoints)).toMatchObject({ newBytes: size, filesSent: 2 });
    expect(done.bytesWritten).toBe(BigInt(size));
    const actions = await test.db.auditLog.findMany({
      where: { objectId: runId },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    expect(actions.map((entry) => entry.action)).toEqual(['job.run', 'run.plan', 'run.start', 'run.succeed']);
  });

  it('dispatches again when the Star lost the push while the Nucleus was down', async () => {
    const { alpha, beta, dir, finished } = world;
    const { runId, source, size } = await world.transferInFlight({
      name: 'lost',
      jobName: 'lost-across-restart',
      from: beta,
      to: alpha,
      files: { 'l.bin': 160 * MiB },
      receivedBytes: 24 * MiB,
    });
    // The sender dies with its push, then the Nucleus restarts and finds the push still open.
    beta.process.kill();
    await beta.process.exited;
    await world.restartNucleus();
    await restartStar(world.grid(), beta, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(await treeHashes(path.join(alpha.root, 'lost'))).toEqual(await treeHashes(source));
    const pushes = await world.pushes(runId);
    expect(pushes).toEqual([
      { state: 'abandoned', error: expect.stringMatching(/reconnected without command/) },
      { state: 'succeeded', error: null },
    ]);
    // The second push resumed from the receiver's journal.
    expect(transferOf(done.checkpoints).newBytes).toBeLessThan(size);
  });
});
