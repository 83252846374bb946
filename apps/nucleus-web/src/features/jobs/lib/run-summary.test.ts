import { describe, expect, it } from 'vitest';
import type { RouterOutputs } from '../../shell/trpc.ts';
import { runSummaryLines } from './run-summary.ts';

type Run = RouterOutputs['run']['get'];

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A finished copy run with no figures recorded; each case adds those it is about. */
function run(figures: Partial<Run>): Run {
  return {
    id: 'run-1',
    job: { id: 'job-1', name: 'photos' },
    state: 'succeeded',
    stateReason: null,
    attempt: 1,
    retryOfId: null,
    star: { id: 'star-1', name: 'alpha' },
    startedBy: 'someone@example.test',
    queuedAt: '2026-12-01T10:00:00.000Z',
    planningAt: '2026-12-01T10:00:01.000Z',
    startedAt: '2026-12-01T10:00:02.000Z',
    finishedAt: '2026-12-01T10:01:00.000Z',
    error: null,
    progress: {
      filesTotal: 41,
      filesDone: 41,
      bytesTotal: GiB,
      bytesDone: GiB,
      bytesWritten: 2 * MiB,
      chunksReused: 898,
      fraction: 1,
    },
    mirror: null,
    archive: null,
    copy: null,
    transfer: null,
    hardLinks: null,
    mirrorReplaced: null,
    ...figures,
  };
}

const transfer = {
  bytesRead: GiB + 3 * MiB,
  cutBytes: 2 * MiB,
  guidedBytes: GiB,
  wireBytes: 2.1 * MiB,
  newBytes: 2 * MiB,
  chunksSent: 2,
  chunksReused: 898,
  filesSent: 1,
  filesUnchanged: 40,
  filesFailed: 0,
};

function texts(lines: readonly { key: string; text: string }[]): Record<string, string> {
  return Object.fromEntries(lines.map((line) => [line.key, line.text]));
}

describe('runSummaryLines', () => {
  it('says what an incremental push did in words: compared along the old version, re-chunked, on the wire', () => {
    expect(texts(runSummaryLines(run({ transfer })))).toEqual({
      files: '1 file sent; 40 files already up to date at the destination.',
      chunking: '1.00 GiB compared along the destination’s previous version, 2.00 MiB re-chunked.',
      wire: '2.10 MiB on the wire between the Stars (2.00 MiB of data the destination did not have).',
    });
  });

  it('says a first copy was split into chunks, and an unchanged re-run sent nothing', () => {
    const first = { ...transfer, guidedBytes: 0, cutBytes: GiB, filesSent: 41, filesUnchanged: 0 };
    expect(texts(runSummaryLines(run({ transfer: first })))).toMatchObject({
      files: '41 files sent.',
      chunking: '1.00 GiB of the source split into chunks.',
    });
    const unchanged = { ...transfer, guidedBytes: 0, cutBytes: 0, filesSent: 0, filesUnchanged: 41 };
    const lines = texts(runSummaryLines(run({ transfer: unchanged })));
    expect(lines.files).toBe('Nothing to send: 41 files already up to date at the destination.');
    expect(lines.chunking).toBeUndefined();
  });

  it('leaves out the figures a run does not have: no push yet, or counters an older Nucleus did not keep', () => {
    expect(runSummaryLines(run({}))).toEqual([]);
    const older = { ...transfer, cutBytes: null, guidedBytes: null, wireBytes: null };
    expect(runSummaryLines(run({ transfer: older })).map((line) => line.key)).toEqual(['files']);
  });

  it('counts hard links placed, already there, copied and failed, and the folders and symlinks created', () => {
    const lines = texts(
      runSummaryLines(
        run({
          copy: { placed: 12, symlinksSkipped: 0, skippedReason: null },
          hardLinks: { linked: 3, unchanged: 1, copies: 2, failed: 1 },
        }),
      ),
    );
    expect(lines).toEqual({
      hardLinks:
        '3 hard links placed, 1 already in place, 2 copies instead where the destination cannot hard-link, 1 failed.',
      placed: '12 folders and symlinks created at the destination.',
    });
    const one = runSummaryLines(run({ hardLinks: { linked: 1, unchanged: 0, copies: 0, failed: 0 } }));
    expect(texts(one).hardLinks).toBe('1 hard link placed.');
  });

  it('names a mirror’s replacements of another kind of entry, and what it removed afterwards', () => {
    const lines = texts(
      runSummaryLines(
        run({
          mirrorReplaced: { paths: 2, removed: 9, notRemoved: 1 },
          mirror: {
            delete: true,
            extraneous: 4,
            removed: 4,
            notRemoved: 0,
            skipped: null,
            placed: 1,
            symlinksSkipped: 0,
            skippedReason: null,
          },
        }),
      ),
    );
    expect(lines).toEqual({
      replaced:
        '2 paths held another kind of entry at the destination than at the source and were replaced (9 entries removed; 1 entry could not be removed).',
      placed: '1 folder or symlink created at the destination.',
      mirror: '4 paths the source no longer has removed from the destination.',
    });
  });

  it('says nothing of paths only at the destination when there were none', () => {
    const mirror = {
      delete: false,
      extraneous: 0,
      removed: 0,
      notRemoved: 0,
      skipped: null,
      placed: 0,
      symlinksSkipped: 0,
      skippedReason: null,
    };
    expect(runSummaryLines(run({ mirror }))).toEqual([]);
    expect(texts(runSummaryLines(run({ mirror: { ...mirror, extraneous: 3 } }))).mirror).toBe(
      '3 paths only at the destination, kept (delete is off).',
    );
    const removed = { ...mirror, delete: true, extraneous: 3, removed: 2, notRemoved: 1 };
    expect(texts(runSummaryLines(run({ mirror: removed }))).mirror).toBe(
      '2 paths the source no longer has removed from the destination; 1 could not be removed.',
    );
    expect(texts(runSummaryLines(run({ mirror: { ...mirror, skipped: 'files failed' } }))).mirror).toBe(
      'Nothing removed at the destination: files failed.',
    );
  });

  it('keeps the notes on symlinks a Star could not create', () => {
    const lines = runSummaryLines(
      run({
        copy: {
          placed: 0,
          symlinksSkipped: 2,
          skippedReason: 'symlink not created: this Star does not run on Linux',
        },
      }),
    );
    expect(texts(lines)).toEqual({ symlinks: '2 symlinks not created: this Star does not run on Linux.' });
  });
});
