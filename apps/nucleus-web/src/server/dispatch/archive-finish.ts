import type { PushTotals } from '@orbit/engine/transfer/push-totals';
import type { FileEntry__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import type { ModeFinish, ModeJob } from './run-modes.ts';
import type { RunRef } from './run-transitions.ts';

/** Directories and symlinks go out in commands of at most this many entries (each well under 4 MiB). */
const ENTRIES_PER_COMMAND = 5000;
/** A snapshot lists at most this many failed files (the run's RunFile rows have them all). */
const LISTED_FAILURES = 1000;
const FINISH_DEADLINE_MS = 30 * 60_000;

/**
 * archive, after the last batch: the destination Star already stored every file's chunks and
 * recorded its entry; this sends the source's directories and symlinks and has it write the
 * run's snapshot, marked incomplete (with the failed files) when some did not arrive.
 */
export async function finishArchive(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  totals: PushTotals,
): Promise<ModeFinish> {
  const tree = await listTree(deps, job.sourceStarId, {
    path: job.sourcePath,
    include: job.include,
    exclude: job.exclude,
  });
  const others = tree.filter(
    (entry) => entry.kind === 'ENTRY_KIND_DIRECTORY' || entry.kind === 'ENTRY_KIND_SYMLINK',
  );
  const failed = await deps.prisma.runFile.findMany({
    where: { runId: run.id, status: 'failed' },
    orderBy: { path: 'asc' },
    take: LISTED_FAILURES,
    select: { path: true, error: true },
  });
  const batches: FileEntry__Output[][] = [];
  for (let start = 0; start < others.length; start += ENTRIES_PER_COMMAND)
    batches.push(others.slice(start, start + ENTRIES_PER_COMMAND));
  if (batches.length === 0) batches.push([]);
  let snapshot = { snapshotId: '', files: 0, chunks: 0 };
  for (const [index, entries] of batches.entries()) {
    const last = index === batches.length - 1;
    const outcome = await deps.hub.sendCommand(
      job.destinationStarId,
      {
        finishArchive: {
          jobId: job.id,
          destinationPath: job.destinationPath,
          entries,
          last,
          ...(last
            ? {
                jobName: job.name,
                runId: run.id,
                sourcePath: job.sourcePath,
                filesExpected: totals.filesSent + totals.filesUnchanged,
                failures: failed.map((file) => ({ path: file.path, message: file.error ?? 'failed' })),
              }
            : {}),
        },
      },
      { deadlineMs: FINISH_DEADLINE_MS },
    );
    const result = outcome.result.finishArchive;
    if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'finishArchive returned no result');
    snapshot = result;
  }
  return {
    details: {
      archive: { snapshotId: snapshot.snapshotId, files: snapshot.files, chunks: snapshot.chunks },
    },
  };
}
