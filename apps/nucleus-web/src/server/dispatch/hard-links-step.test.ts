import type { FileEntry__Output } from '@orbit/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamWith, createUser } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { fencedTestDeps } from './fenced-deps.fixture.ts';
import { planHardLinks, recordHardLinks } from './hard-links-step.ts';
import { LEASE_NAME } from './lease-fence.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  const now = new Date();
  await test.db.dispatcherLease.create({
    data: {
      name: LEASE_NAME,
      holder: 'this',
      epoch: 1,
      acquiredAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    },
  });
});
afterAll(() => test?.drop());

const deps = () => fencedTestDeps({ db: test.db, epoch: 1, holder: 'this' });

function file(path: string, size: number, hardLinkTo = ''): FileEntry__Output {
  return {
    path,
    size,
    mtimeUnixMs: 0,
    mode: 0o644,
    kind: 'ENTRY_KIND_FILE',
    linkTarget: '',
    uid: 0,
    gid: 0,
    hardLinkTo,
  };
}

/** A running run whose scan saw these files, with their rows' statuses after the pushes. */
async function runAfterPushes(rows: Record<string, { size: number; status: 'pending' | 'done' | 'failed' }>) {
  const team = await createTeamWith(test, [{ user: await createUser(test), role: 'owner' }]);
  const job = await test.db.job.create({
    data: { teamId: team.id, name: 'links', sourcePath: '/src', destinationPath: '/dst' },
    select: { id: true },
  });
  const run = await test.db.run.create({
    data: { teamId: team.id, jobId: job.id, state: 'running', filesTotal: Object.keys(rows).length },
    select: { id: true, teamId: true },
  });
  for (const [path, row] of Object.entries(rows)) {
    await test.db.runFile.create({
      data: { runId: run.id, path, size: BigInt(row.size), status: row.status },
      select: { id: true },
    });
  }
  return run;
}

describe('the hard-links step', () => {
  it('links the later names of files that arrived, fails those of one that did not, and one no longer a later name', async () => {
    const run = await runAfterPushes({
      'a.bin': { size: 100, status: 'done' },
      'b.bin': { size: 100, status: 'pending' },
      'x.bin': { size: 7, status: 'failed' },
      'y.bin': { size: 7, status: 'pending' },
      // A later name when scanned (not pushed); a file of its own when the source is listed again.
      'was-linked.bin': { size: 5, status: 'pending' },
    });
    const source = [
      file('a.bin', 100),
      file('b.bin', 100, 'a.bin'),
      file('x.bin', 7),
      file('y.bin', 7, 'x.bin'),
      file('was-linked.bin', 5),
      // Added to the source after the scan: it has no row and counts for nothing.
      file('new.bin', 100, 'a.bin'),
    ];
    const plan = await planHardLinks(deps(), run, source);
    expect(plan.link.map((entry) => entry.path)).toEqual(['b.bin', 'new.bin']);
    expect(plan.refused).toEqual([
      { path: 'y.bin', message: expect.stringContaining('its other name "x.bin" failed in this run') },
      { path: 'was-linked.bin', message: expect.stringContaining('is a file of its own now') },
    ]);

    const done = await recordHardLinks(deps(), run, plan, {
      placed: 0,
      failures: [],
      skipped: [],
      hardLinked: ['b.bin', 'new.bin'],
      hardLinksUnchanged: 0,
      hardLinkCopies: [],
    });
    expect(done.details).toEqual({
      hardLinked: 2,
      hardLinksUnchanged: 0,
      hardLinkCopies: 0,
      hardLinksFailed: 2,
    });
    expect(done.failure).toMatch(/^2 file\(s\) not linked or sent at the destination; e\.g\. y\.bin: /);
    const rows = await test.db.runFile.findMany({
      where: { runId: run.id },
      select: { path: true, status: true },
      orderBy: { path: 'asc' },
    });
    expect(Object.fromEntries(rows.map((row) => [row.path, row.status]))).toEqual({
      'a.bin': 'done',
      'b.bin': 'done',
      'was-linked.bin': 'failed',
      'x.bin': 'failed',
      'y.bin': 'failed',
    });
    expect(
      await test.db.run.findUniqueOrThrow({
        where: { id: run.id },
        select: { filesDone: true, bytesDone: true },
      }),
    ).toEqual({
      filesDone: 1,
      bytesDone: 100n,
    });
    const letters = await test.db.deadLetter.findMany({ where: { runId: run.id }, select: { path: true } });
    expect(letters.map((letter) => letter.path).sort()).toEqual(['was-linked.bin', 'y.bin']);
  });

  it('does nothing for a tree without hard links', async () => {
    const run = await runAfterPushes({ 'a.bin': { size: 1, status: 'done' } });
    const plan = await planHardLinks(deps(), run, [file('a.bin', 1)]);
    expect(plan).toEqual({ link: [], refused: [], sizes: new Map() });
    const done = await recordHardLinks(deps(), run, plan, {
      placed: 0,
      failures: [],
      skipped: [],
      hardLinked: [],
      hardLinksUnchanged: 0,
      hardLinkCopies: [],
    });
    expect(done).toEqual({ details: {} });
  });
});
