import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_FILE_STATUSES, type RunFileStatusName } from '../../runs/run-file-status.ts';
import { teamContext } from '../../testing/fixtures.ts';
import { type SeededTeam, seedTeam } from '../../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { callerFor } from '../../testing/trpc-caller.ts';
import { countRunFiles } from './count-run-files.ts';
import { listRunFiles } from './list-run-files.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

/** A status for file `index` that gives every status a different, known share of the run. */
function statusOf(index: number): RunFileStatusName {
  if (index % 97 === 0) return 'failed';
  if (index % 13 === 0) return 'running';
  if (index % 5 === 0) return 'pending';
  return 'done';
}

/** A run of the seeded team's "idle" job with `count` files, inserted in batches as the dispatcher does. */
async function runWithFiles(seeded: SeededTeam, count: number) {
  const run = await test.db.run.create({
    data: { teamId: seeded.team.id, jobId: seeded.jobId, state: 'running', filesTotal: count },
    select: { id: true },
  });
  const paths: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const data = Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
      const index = start + offset;
      // Folders by remainder, so path order is not insertion order.
      const path = `dir-${index % 7}/Photo_${String(index).padStart(5, '0')}.raw`;
      paths.push(path);
      return { runId: run.id, path, size: BigInt(index), status: statusOf(index) };
    });
    await test.db.runFile.createMany({ data });
  }
  return { runId: run.id, paths: paths.sort() };
}

describe('run files', () => {
  it('pages through thousands of files by cursor, by status and by path, with counts per status', async () => {
    const seeded = await seedTeam(test, 'viewer');
    const caller = callerFor(test, seeded.user);
    const teamSlug = seeded.team.slug;
    const { runId, paths } = await runWithFiles(seeded, 4321);

    const counts = await caller.run.fileCounts({ teamSlug, runId });
    const expected = Object.fromEntries(RUN_FILE_STATUSES.map((status) => [status, 0]));
    for (let index = 0; index < 4321; index++)
      expected[statusOf(index)] = (expected[statusOf(index)] ?? 0) + 1;
    expect(counts).toEqual({ total: 4321, byStatus: expected });
    expect(counts.byStatus.skipped).toBe(0);

    // Every file once, in path order, over pages that each hand on their last path.
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await caller.run.files({ teamSlug, runId, limit: 500, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((file) => file.path));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(9);
    expect(seen).toEqual(paths);

    for (const status of ['failed', 'running', 'pending'] as const) {
      const listed: string[] = [];
      let next: string | undefined;
      do {
        const page = await caller.run.files({
          teamSlug,
          runId,
          status,
          limit: 40,
          ...(next ? { cursor: next } : {}),
        });
        expect(page.items.every((file) => file.status === status)).toBe(true);
        listed.push(...page.items.map((file) => file.path));
        next = page.nextCursor ?? undefined;
      } while (next);
      expect(listed).toHaveLength(counts.byStatus[status]);
      expect(listed).toEqual([...listed].sort());
    }

    // Path: a substring in any case; "_" and "%" are plain characters, not patterns.
    const folder = await caller.run.files({ teamSlug, runId, path: 'DIR-3/photo_01', limit: 500 });
    expect(folder.items.map((file) => file.path)).toEqual(
      paths.filter((path) => path.startsWith('dir-3/Photo_01')),
    );
    expect(folder.items.length).toBeGreaterThan(100);
    const withStatus = await caller.run.fileCounts({ teamSlug, runId, path: 'dir-3/' });
    expect(withStatus.total).toBe(paths.filter((path) => path.startsWith('dir-3/')).length);
    expect((await caller.run.files({ teamSlug, runId, path: 'Photo%0' })).items).toEqual([]);
    expect((await caller.run.files({ teamSlug, runId, path: 'Photo_0000' })).items).toHaveLength(10);
    // A blank filter is no filter.
    expect((await caller.run.fileCounts({ teamSlug, runId, path: '  ' })).total).toBe(4321);
  });

  it('continues after the last file of a page even when that file changed status since', async () => {
    const seeded = await seedTeam(test, 'owner');
    const ctx = teamContext(test, seeded.user, seeded.team, 'owner');
    const { runId } = await runWithFiles(seeded, 300);
    const first = await listRunFiles({ ctx, input: { runId, status: 'pending', limit: 10 } });
    const last = first.items.at(-1);
    if (!last || !first.nextCursor) throw new Error('expected a full first page');
    // The Star reports it running before the next page is asked for: the page must not shift.
    await test.db.runFile.update({ where: { id: last.id }, data: { status: 'running' } });
    const second = await listRunFiles({
      ctx,
      input: { runId, status: 'pending', limit: 10, cursor: first.nextCursor },
    });
    const all = await listRunFiles({ ctx, input: { runId, status: 'pending', limit: 500 } });
    const afterLast = all.items.filter((file) => file.path > last.path).slice(0, 10);
    expect(second.items.map((file) => file.path)).toEqual(afterLast.map((file) => file.path));
  });

  it('refuses a cursor it did not give, and another team’s run', async () => {
    const seeded = await seedTeam(test, 'owner');
    const caller = callerFor(test, seeded.user);
    const refusal = await caller.run
      .files({ teamSlug: seeded.team.slug, runId: seeded.failedRunId, cursor: 'not a cursor!' })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TRPCError);
    expect((refusal as TRPCError).code).toBe('BAD_REQUEST');
    const other = await seedTeam(test, 'owner');
    const ctx = teamContext(test, seeded.user, seeded.team, 'owner');
    await expect(countRunFiles({ ctx, input: { runId: other.failedRunId } })).rejects.toThrow(
      'Run was not found',
    );
  });

  it('serves a run of 100 000 files from its indexes', async () => {
    const seeded = await seedTeam(test, 'owner');
    const ctx = teamContext(test, seeded.user, seeded.team, 'owner');
    const run = await test.db.run.create({
      data: { teamId: seeded.team.id, jobId: seeded.jobId, state: 'succeeded' },
      select: { id: true },
    });
    // Another run's files beside it, so the table holds more than the run under test.
    const other = await test.db.run.create({
      data: { teamId: seeded.team.id, jobId: seeded.jobId, state: 'succeeded' },
      select: { id: true },
    });
    for (const [runId, prefix, files] of [
      [run.id, 'f', 100_000],
      [other.id, 'g', 20_000],
    ] as const) {
      await test.superuser(
        `INSERT INTO "RunFile" (id, "runId", path, size, status, error, "updatedAt")
         SELECT $2 || n, $1, 'tree/' || (n % 100) || '/file-' || lpad(n::text, 6, '0'), n,
                (CASE WHEN n % 1000 = 0 THEN 'failed' ELSE 'done' END)::"RunFileStatus",
                CASE WHEN n % 1000 = 0 THEN 'read: input/output error' END, now()
         FROM generate_series(1, $3::int) AS n`,
        [runId, prefix, files],
      );
    }
    await test.superuser('ANALYZE "RunFile"');

    const counts = await countRunFiles({ ctx, input: { runId: run.id } });
    expect(counts).toMatchObject({ total: 100_000, byStatus: { done: 99_900, failed: 100 } });
    const failed = await listRunFiles({ ctx, input: { runId: run.id, status: 'failed', limit: 60 } });
    expect(failed.items).toHaveLength(60);
    expect(failed.items[0]).toMatchObject({ path: 'tree/0/file-001000', error: 'read: input/output error' });
    const rest = await listRunFiles({
      ctx,
      input: { runId: run.id, status: 'failed', limit: 60, cursor: failed.nextCursor ?? '' },
    });
    expect(rest.items).toHaveLength(40);
    expect(rest.nextCursor).toBeNull();

    // A page of one status is one range of the (runId, status, path) index, not a scan of the run.
    const plan = await test.superuser(
      `EXPLAIN (FORMAT JSON) SELECT id, path FROM "RunFile"
       WHERE "runId" = $1 AND status = 'failed' AND path > 'tree/5' ORDER BY path LIMIT 51`,
      [run.id],
    );
    const text = JSON.stringify(plan.rows[0]);
    expect(text).toContain('RunFile_runId_status_path_idx');
    expect(text).not.toContain('Seq Scan');
    expect(text).not.toContain('"Sort"');
  });
});
