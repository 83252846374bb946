import { emptyPushTotals } from '@orbit/engine/transfer/push-totals';
import type { PushChunksResult__Output } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamWith, createUser } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { fencedTestDeps, holdTestLease } from './fenced-deps.fixture.ts';
import { addReplaced } from './kind-conflicts.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import { openPush } from './push-records.ts';
import { recordBatch } from './run-progress.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  await holdTestLease(test.db, { epoch: 1, holder: 'this' });
});
afterAll(() => test?.drop());

const deps = () => fencedTestDeps({ db: test.db, epoch: 1, holder: 'this' });

const result: PushChunksResult__Output = {
  chunksSent: 2,
  chunksSkipped: 1,
  bytesSent: 700,
  bytesRead: 900,
  cutBytes: 600,
  guidedBytes: 300,
  newBytes: 600,
  filesSent: 1,
  filesUnchanged: 0,
  filesFailed: 0,
  connections: 1,
  files: [{ path: 'a.bin', status: 'sent', hash: 'h', size: 900, reason: '', message: '' }],
};

async function checkpointsOf(runId: string): Promise<unknown> {
  const row = await test.db.run.findUniqueOrThrow({ where: { id: runId }, select: { checkpoints: true } });
  return row.checkpoints;
}

describe('run checkpoints', () => {
  it('keeps a mirror’s replacements through the pushes after them, added up over attempts', async () => {
    const team = await createTeamWith(test, [{ user: await createUser(test), role: 'owner' }]);
    const job = await test.db.job.create({
      data: { teamId: team.id, name: 'kinds', sourcePath: '/src', destinationPath: '/dst', mode: 'mirror' },
      select: { id: true },
    });
    const run = await test.db.run.create({
      data: { teamId: team.id, jobId: job.id, state: 'running', filesTotal: 1, bytesTotal: 900n },
      select: { id: true, teamId: true },
    });
    await test.db.runFile.create({
      data: { runId: run.id, path: 'a.bin', size: 900n },
      select: { id: true },
    });
    const replace = (paths: number, removed: number, notRemoved: number) =>
      fencedWrite(deps(), 'run.mirror_replace', runSubject(run), (tx) =>
        addReplaced(tx, run, { paths, removed, notRemoved }),
      );

    // First attempt: two paths replaced before the pushes, then a push opens and the Star drops.
    await replace(2, 5, 1);
    const push = (commandId: string) =>
      openPush(deps(), run, {
        commandId,
        sourceStarId: 'star-a',
        firstFile: 0,
        files: 1,
        filesTotal: 1,
        base: { filesDone: 0, bytesDone: 0 },
        totals: emptyPushTotals(),
        deadline: new Date(Date.now() + 60_000),
        issuedBy: 'this',
      });
    expect(await push('push-1')).toBe(true);
    expect(await checkpointsOf(run.id)).toMatchObject({
      mirrorReplace: { paths: 2, removed: 5, notRemoved: 1 },
      push: { commandId: 'push-1' },
    });

    // Second attempt: the entry that stayed goes now; its push is stored.
    await replace(1, 1, 0);
    expect(await push('push-2')).toBe(true);
    const totals = emptyPushTotals();
    totals.cutBytes = 600;
    totals.guidedBytes = 300;
    await recordBatch(deps(), run, { commandId: 'push-2', result }, totals, { filesDone: 0, bytesDone: 0 });
    expect(await checkpointsOf(run.id)).toEqual({
      mirrorReplace: { paths: 3, removed: 6, notRemoved: 1 },
      transfer: { ...totals },
    });
  });
});
