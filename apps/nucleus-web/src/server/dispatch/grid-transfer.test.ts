import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../grid/grid-test-harness.ts';
import { getRun } from '../services/runs/get-run.ts';
import { bytesReadByThisProcess, treeHashes } from './grid-e2e-harness.ts';
import { createGridWorld, type GridWorld, MiB, transferOf, writeRandom } from './grid-world.ts';

/** Small chunks so an edit of a few bytes maps to a chunk or two. */
const SMALL_CHUNKS = { chunking: { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 } };

let world: GridWorld;
beforeAll(async () => {
  world = await createGridWorld('transfer');
});
afterAll(() => world?.close());

describe('jobs run between Stars', () => {
  it('runs a job after its dependency, moving bytes Star to Star, then re-runs incrementally', async () => {
    const { alpha, beta, ctx, test, job, queue, runRow, finished } = world;
    const source = path.join(alpha.root, 'projects');
    await writeRandom(path.join(source, 'base', 'seed.bin'), 300_000);
    await writeRandom(path.join(source, 'tree', 'a.bin'), 3 * MiB);
    await writeRandom(path.join(source, 'tree', 'nested', 'b.bin'), 5 * MiB);
    await writeFile(path.join(source, 'tree', 'empty.txt'), '');
    await writeFile(path.join(source, 'tree', 'skip.tmp'), 'excluded');
    const seed = await job({
      name: 'seed',
      from: alpha,
      to: beta,
      sourcePath: path.join(source, 'base'),
      destinationPath: path.join(beta.root, 'base'),
    });
    const main = await job({
      name: 'main',
      from: alpha,
      to: beta,
      sourcePath: path.join(source, 'tree'),
      destinationPath: path.join(beta.root, 'tree'),
      exclude: ['*.tmp'],
      options: SMALL_CHUNKS,
      dependsOn: [seed.id],
    });

    const changed: string[] = [];
    const unsubscribe = world.events.subscribe(ctx.team.id, (event) => {
      if (event.type === 'run.changed') changed.push(event.id);
    });
    const readBefore = await bytesReadByThisProcess();
    const mainRun = await queue(main.id);
    const waiting = await waitFor('the dependent run to show why it waits', async () => {
      const row = await runRow(mainRun);
      return row.error?.includes('"seed"') ? row : undefined;
    });
    expect(waiting.state).toBe('queued');
    expect(waiting.error).toMatch(/waiting for job "seed" to succeed: it has never run/);
    expect((await getRun({ ctx, input: { runId: mainRun } })).stateReason).toBe(waiting.error);

    const seedRun = await queue(seed.id);
    expect((await finished(seedRun)).state).toBe('succeeded');
    const done = await finished(mainRun);
    expect(done, done.error ?? '').toMatchObject({
      state: 'succeeded',
      error: null,
      filesTotal: 3,
      filesDone: 3,
    });
    const fileBytes = 8 * MiB;
    expect(done.bytesTotal).toBe(BigInt(fileBytes));
    expect(done.bytesDone).toBe(BigInt(fileBytes));
    // The Stars' data plane carried every byte; the Nucleus process read far less than one copy.
    const transfer = transferOf(done.checkpoints);
    // Files this small are cut whole before they are announced: no receiver's list to cut along.
    expect(transfer).toMatchObject({
      newBytes: fileBytes,
      cutBytes: fileBytes,
      guidedBytes: 0,
      filesSent: 3,
      filesFailed: 0,
    });
    expect(done.bytesWritten).toBe(BigInt(fileBytes));
    expect((await bytesReadByThisProcess()) - readBefore).toBeLessThan(fileBytes / 4);

    const expected = await treeHashes(path.join(source, 'tree'));
    delete expected['skip.tmp'];
    expect(await treeHashes(path.join(beta.root, 'tree'))).toEqual(expected);
    expect(await treeHashes(path.join(beta.root, 'base'))).toEqual(
      await treeHashes(path.join(source, 'base')),
    );
    const files = await test.db.runFile.findMany({
      where: { runId: mainRun },
      select: { path: true, status: true, bytesDone: true },
      orderBy: { path: 'asc' },
    });
    expect(files).toEqual([
      { path: 'a.bin', status: 'done', bytesDone: BigInt(3 * MiB) },
      { path: 'empty.txt', status: 'done', bytesDone: 0n },
      { path: 'nested/b.bin', status: 'done', bytesDone: BigInt(5 * MiB) },
    ]);
    // The live views heard of the waiting reason and of each step the dispatcher took (plan, start, succeed).
    unsubscribe();
    expect(changed.filter((id) => id === mainRun).length).toBeGreaterThanOrEqual(4);
    const audit = await test.db.auditLog.findMany({
      where: { objectId: mainRun },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    expect(audit.map((row) => row.action)).toEqual(['job.run', 'run.plan', 'run.start', 'run.succeed']);

    // A few bytes changed in the middle of one file: only the chunks around them travel again.
    const handle = await open(path.join(source, 'tree', 'nested', 'b.bin'), 'r+');
    await handle.write(Buffer.from('changed!'), 0, 8, 2 * MiB + 123);
    await handle.close();
    const again = await finished(await queue(main.id));
    expect(again.state).toBe('succeeded');
    const incremental = transferOf(again.checkpoints);
    expect(incremental.filesUnchanged).toBe(2);
    expect(incremental.filesSent).toBe(1);
    expect(incremental.newBytes).toBeGreaterThan(0);
    expect(incremental.newBytes).toBeLessThanOrEqual(2 * 256 * 1024);
    expect(incremental.wireBytes).toBeLessThan(MiB);
    const edited = await treeHashes(path.join(source, 'tree'));
    delete edited['skip.tmp'];
    expect(edited['nested/b.bin']).not.toBe(expected['nested/b.bin']);
    expect(await treeHashes(path.join(beta.root, 'tree'))).toEqual(edited);
  });

  it('copies within one Star through its own data plane', async () => {
    const { alpha, job, queue, finished } = world;
    const source = path.join(alpha.root, 'local');
    await writeRandom(path.join(source, 'one.bin'), 700_000);
    await writeRandom(path.join(source, 'deep', 'two.bin'), 1_300_000);
    const local = await job({
      name: 'local-copy',
      from: alpha,
      to: alpha,
      sourcePath: source,
      destinationPath: path.join(alpha.root, 'local-copy'),
    });
    const done = await finished(await queue(local.id));
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2 });
    expect(await treeHashes(path.join(alpha.root, 'local-copy'))).toEqual(await treeHashes(source));
  });

  it('refuses and audits a job whose destination leaves the Star allowed roots', async () => {
    const { alpha, beta, test, dir, job, queue, finished } = world;
    const source = path.join(alpha.root, 'escape');
    await writeRandom(path.join(source, 'x.bin'), 1000);
    const outside = path.join(dir.path, 'outside-beta');
    const escaping = await job({
      name: 'escape',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: outside,
    });
    const done = await finished(await queue(escaping.id));
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(
      /destination path refused on Star "beta": .* is outside the Star's read-write allowed roots/,
    );
    const refusal = await test.db.auditLog.findFirst({
      where: { action: 'run.path_denied' },
      select: { after: true, actorType: true },
    });
    expect(refusal?.actorType).toBe('system');
    expect(JSON.stringify(refusal?.after)).toContain(outside);
    await expect(stat(outside)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails a run whose file cannot land, with the cause on the file and in the dead letters', async () => {
    const { alpha, beta, test, job, queue, finished } = world;
    const source = path.join(alpha.root, 'blocked');
    await writeRandom(path.join(source, 'fine.bin'), 50_000);
    await writeRandom(path.join(source, 'blocked.bin'), 50_000);
    // A directory where the file should land: the receiver cannot rename over it.
    await mkdir(path.join(beta.root, 'blocked', 'blocked.bin', 'inside'), { recursive: true });
    const blocked = await job({
      name: 'blocked',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: path.join(beta.root, 'blocked'),
    });
    const runId = await queue(blocked.id);
    const done = await finished(runId);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^1 of 2 files failed; e\.g\. blocked\.bin: /);
    const files = await test.db.runFile.findMany({
      where: { runId },
      select: { path: true, status: true, error: true },
      orderBy: { path: 'asc' },
    });
    expect(files).toEqual([
      { path: 'blocked.bin', status: 'failed', error: expect.any(String) },
      { path: 'fine.bin', status: 'done', error: null },
    ]);
    const letters = await test.db.deadLetter.findMany({
      where: { runId },
      select: { path: true, error: true },
    });
    expect(letters).toEqual([{ path: 'blocked.bin', error: files[0]?.error }]);
    expect(await treeHashes(path.join(beta.root, 'blocked'))).toEqual({
      'fine.bin': (await treeHashes(source))['fine.bin'],
    });
  });
});
