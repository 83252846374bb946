import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../db/create-db.ts';
import { teamContext } from '../../testing/fixtures.ts';
import { type SeededTeam, seedTeam } from '../../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { getRun } from './get-run.ts';
import { retryRun } from './retry-run.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

/** Push counters as the dispatcher stores them (`PushTotals` of the engine). */
const TOTALS = {
  bytesRead: 1_075_000_000,
  cutBytes: 2_100_000,
  guidedBytes: 1_072_000_000,
  wireBytes: 2_150_000,
  newBytes: 2_097_152,
  chunksSent: 2,
  chunksReused: 898,
  filesSent: 1,
  filesUnchanged: 40,
  filesFailed: 0,
  connections: 1,
};

async function finishedRun(
  seeded: SeededTeam,
  state: 'succeeded' | 'failed',
  checkpoints: Prisma.InputJsonObject,
): Promise<string> {
  const run = await test.db.run.create({
    data: { teamId: seeded.team.id, jobId: seeded.jobId, state, finishedAt: new Date(), checkpoints },
    select: { id: true },
  });
  return run.id;
}

describe('what a run did, from its recorded figures', () => {
  it('gives the push totals, hard links and a mirror’s replacements and placements as recorded', async () => {
    const seeded = await seedTeam(test, 'viewer');
    const ctx = teamContext(test, seeded.user, seeded.team, 'viewer');
    const copyRun = await finishedRun(seeded, 'succeeded', {
      transfer: TOTALS,
      copy: { placed: 12, hardLinked: 3, hardLinksUnchanged: 1, hardLinkCopies: 2 },
    });
    const copied = await getRun({ ctx, input: { runId: copyRun } });
    // Every counter as stored, but the connections a push used (not something the run did).
    const { connections: _connections, ...figures } = TOTALS;
    expect(copied.transfer).toEqual(figures);
    expect(copied).toMatchObject({
      hardLinks: { linked: 3, unchanged: 1, copies: 2, failed: 0 },
      mirrorReplaced: null,
      copy: { placed: 12 },
      mirror: null,
    });

    const mirrorRun = await finishedRun(seeded, 'failed', {
      transfer: TOTALS,
      mirrorReplace: { paths: 2, removed: 9, notRemoved: 1 },
      mirror: {
        delete: true,
        extraneous: 4,
        removed: 4,
        notRemoved: 0,
        placed: 7,
        hardLinked: 0,
        hardLinksUnchanged: 0,
        hardLinkCopies: 0,
        hardLinksFailed: 2,
      },
    });
    expect(await getRun({ ctx, input: { runId: mirrorRun } })).toMatchObject({
      hardLinks: { linked: 0, unchanged: 0, copies: 0, failed: 2 },
      mirrorReplaced: { paths: 2, removed: 9, notRemoved: 1 },
      mirror: { delete: true, removed: 4, placed: 7 },
      copy: null,
    });
  });

  it('leaves out what was never recorded rather than showing zeros', async () => {
    const seeded = await seedTeam(test, 'viewer');
    const ctx = teamContext(test, seeded.user, seeded.team, 'viewer');
    // Totals stored before the Star reported what it cut and what it only hashed.
    const { cutBytes: _cut, guidedBytes: _guided, wireBytes: _wire, ...older } = TOTALS;
    const olderRun = await finishedRun(seeded, 'succeeded', { transfer: older, copy: { placed: 0 } });
    const run = await getRun({ ctx, input: { runId: olderRun } });
    expect(run.transfer).toMatchObject({
      cutBytes: null,
      guidedBytes: null,
      wireBytes: null,
      newBytes: 2_097_152,
    });
    // A copy whose source had no file with several names records no hard-link figures.
    expect(run.hardLinks).toBeNull();

    const queued = await getRun({ ctx, input: { runId: seeded.queuedRunId } });
    expect(queued).toMatchObject({ transfer: null, hardLinks: null, mirrorReplaced: null });
  });

  it('starts a retry with none of the figures of the run it retries, only the push left in flight', async () => {
    const seeded = await seedTeam(test, 'operator');
    const ctx = teamContext(test, seeded.user, seeded.team, 'operator');
    const push = { commandId: 'push-1', sourceStarId: 'star-a', firstFile: 0, files: 5, filesTotal: 5 };
    const failed = await finishedRun(seeded, 'failed', {
      transfer: TOTALS,
      push,
      mirrorReplace: { paths: 1, removed: 1, notRemoved: 0 },
      mirror: { delete: false, skipped: 'files failed' },
    });
    const retry = await retryRun({ ctx, input: { runId: failed } });
    expect(retry).toMatchObject({ transfer: null, hardLinks: null, mirrorReplaced: null, mirror: null });
    const row = await test.db.run.findUniqueOrThrow({
      where: { id: retry.id },
      select: { checkpoints: true },
    });
    expect(row.checkpoints).toEqual({ push });
  });
});
