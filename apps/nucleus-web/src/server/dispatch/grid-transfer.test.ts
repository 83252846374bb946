import { randomBytes } from 'node:crypto';
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir, waitFor } from '../grid/grid-test-harness.ts';
import { type GridServer, startGridServer } from '../grid/start-grid-server.ts';
import { type CreateJobInput, createJob } from '../services/jobs/create-job.ts';
import { runJob } from '../services/jobs/run-job.ts';
import { issueJoinToken } from '../services/join-tokens/issue-join-token.ts';
import { cancelRun } from '../services/runs/cancel-run.ts';
import { getRun } from '../services/runs/get-run.ts';
import type { TeamContext } from '../services/service-context.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY, teamContext } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import {
  bytesReadByThisProcess,
  joinAndServe,
  restartStar,
  type TestStar,
  treeHashes,
} from './grid-e2e-harness.ts';

const MiB = 1024 * 1024;
/** Small chunks so an edit of a few bytes maps to a chunk or two. */
const SMALL_CHUNKS = { chunking: { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 } };

let test: TestDatabase;
let dir: TempDir;
let grid: GridServer;
let ctx: TeamContext;
let alpha: TestStar;
let beta: TestStar;

beforeAll(async () => {
  test = await createTestDatabase();
  dir = await makeTempDir('transfer');
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  ctx = teamContext(test, owner, team, 'owner');
  grid = await startGridServer({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    stateDir: path.join(dir.path, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    heartbeatIntervalMs: 300,
    dispatcher: { pollMs: 200 },
    log: () => undefined,
  });
  const token = async (name: string) => (await issueJoinToken({ ctx, input: { name } })).token;
  alpha = await joinAndServe(grid, await token('alpha'), dir.path, 'alpha');
  beta = await joinAndServe(grid, await token('beta'), dir.path, 'beta');
});

afterAll(async () => {
  for (const star of [alpha, beta]) star?.process.kill();
  await grid?.stop();
  await test?.drop();
  await dir?.remove();
});

async function job(
  input: Omit<CreateJobInput, 'sourceStarId' | 'destinationStarId'> & {
    from: TestStar;
    to: TestStar;
  },
) {
  const { from, to, ...fields } = input;
  return createJob({ ctx, input: { ...fields, sourceStarId: from.id, destinationStarId: to.id } });
}

async function queue(jobId: string): Promise<string> {
  const run = await runJob({ ctx, input: { jobId } });
  grid.dispatcher?.wake();
  return run.id;
}

function runRow(runId: string) {
  return test.db.run.findUniqueOrThrow({
    where: { id: runId },
    select: {
      state: true,
      error: true,
      filesTotal: true,
      filesDone: true,
      bytesTotal: true,
      bytesDone: true,
      bytesWritten: true,
      checkpoints: true,
    },
  });
}

async function finished(runId: string, timeoutMs = 60_000) {
  return waitFor(
    `run ${runId} to finish`,
    async () => {
      const row = await runRow(runId);
      return ['succeeded', 'failed', 'cancelled'].includes(row.state) ? row : undefined;
    },
    timeoutMs,
  );
}

function transferOf(checkpoints: unknown): Record<string, number> {
  return (checkpoints as { transfer: Record<string, number> }).transfer;
}

async function writeRandom(file: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, randomBytes(bytes));
}

describe('jobs run between Stars', () => {
  it('runs a job after its dependency, moving bytes Star to Star, then re-runs incrementally', async () => {
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
    expect(transfer).toMatchObject({ newBytes: fileBytes, filesSent: 3, filesFailed: 0 });
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

  it('finishes a run whose source Star was killed and restarted mid-transfer', async () => {
    const source = path.join(alpha.root, 'big');
    const size = 160 * MiB;
    await writeRandom(path.join(source, 'big.bin'), size);
    const big = await job({
      name: 'big',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: path.join(beta.root, 'big'),
    });
    const runId = await queue(big.id);
    const partial = path.join(beta.root, 'big', '.big.bin.orbit-partial');
    await waitFor(
      'a partly received file',
      async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) >= 24 * MiB || undefined,
    );
    alpha.process.kill();
    await alpha.process.exited;
    await expect(stat(path.join(beta.root, 'big', 'big.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    const stalled = await waitFor('the run to say why it stalls', async () => {
      const row = await runRow(runId);
      return row.error?.includes('"alpha" is offline') ? row : undefined;
    });
    expect(stalled.state).toBe('running');
    await restartStar(grid, alpha, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1 });
    // The second push resumed from the receiver's journal instead of sending the file again.
    expect(transferOf(done.checkpoints).newBytes).toBeLessThan(size);
    expect(await treeHashes(path.join(beta.root, 'big'))).toEqual(await treeHashes(source));
  });

  it('finishes a run whose destination Star was killed and restarted mid-transfer', async () => {
    const source = path.join(alpha.root, 'to-killed');
    const size = 160 * MiB;
    await writeRandom(path.join(source, 'big.bin'), size);
    const big = await job({
      name: 'to-killed',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: path.join(beta.root, 'to-killed'),
    });
    const runId = await queue(big.id);
    const partial = path.join(beta.root, 'to-killed', '.big.bin.orbit-partial');
    await waitFor(
      'a partly received file',
      async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) >= 24 * MiB || undefined,
    );
    beta.process.kill();
    await beta.process.exited;
    await restartStar(grid, beta, dir.path);

    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 1, error: null });
    expect(transferOf(done.checkpoints).newBytes).toBeLessThan(size);
    expect(await treeHashes(path.join(beta.root, 'to-killed'))).toEqual(await treeHashes(source));
  });

  it('cancels a running transfer on the Star and keeps the run cancelled', async () => {
    const source = path.join(alpha.root, 'cancel');
    await writeRandom(path.join(source, 'large.bin'), 160 * MiB);
    const large = await job({
      name: 'cancel-me',
      from: alpha,
      to: beta,
      sourcePath: source,
      destinationPath: path.join(beta.root, 'cancel'),
    });
    const runId = await queue(large.id);
    const partial = path.join(beta.root, 'cancel', '.large.bin.orbit-partial');
    await waitFor(
      'a partly received file',
      async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) >= 8 * MiB || undefined,
    );
    const heartbeatOf = (star: TestStar) =>
      grid.hub.connectedStars().find((connected) => connected.starId === star.id)?.lastHeartbeat;
    await waitFor('the sender to report its transfer', async () =>
      (heartbeatOf(alpha)?.activeTransfers ?? 0) >= 1 ? true : undefined,
    );
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

  it('finishes a transfer that was running while the Nucleus restarted', async () => {
    const source = path.join(beta.root, 'restart');
    await writeRandom(path.join(source, 'r.bin'), 160 * MiB);
    await writeRandom(path.join(source, 's.bin'), 2 * MiB);
    const restart = await job({
      name: 'across-restart',
      from: beta,
      to: alpha,
      sourcePath: source,
      destinationPath: path.join(alpha.root, 'restart'),
    });
    const runId = await queue(restart.id);
    const partial = path.join(alpha.root, 'restart', '.r.bin.orbit-partial');
    await waitFor(
      'a partly received file',
      async () => ((await stat(partial).catch(() => undefined))?.size ?? 0) >= 24 * MiB || undefined,
    );
    const ports = { enrolPort: grid.enrolPort, controlPort: grid.controlPort };
    await grid.stop();
    grid = await startGridServer({
      prisma: test.db,
      auditKey: TEST_AUDIT_KEY,
      stateDir: path.join(dir.path, 'nucleus'),
      ...ports,
      host: '127.0.0.1',
      publicHostname: '127.0.0.1',
      heartbeatIntervalMs: 300,
      dispatcher: { pollMs: 200 },
      log: () => undefined,
    });
    const done = await finished(runId, 120_000);
    expect(done, done.error ?? '').toMatchObject({ state: 'succeeded', filesDone: 2, error: null });
    expect(await treeHashes(path.join(alpha.root, 'restart'))).toEqual(await treeHashes(source));
    const actions = await test.db.auditLog.findMany({
      where: { objectId: runId },
      orderBy: { seq: 'asc' },
      select: { action: true },
    });
    expect(actions.map((entry) => entry.action)).toEqual(['job.run', 'run.plan', 'run.start', 'run.succeed']);
  });
});
