import { isPartialPath } from '@orbit/engine/transfer/atomic-file';
import type { PathFailure } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import type { ModeFinish, ModeJob } from './run-modes.ts';
import { auditRun, type RunRef } from './run-transitions.ts';

/** Removals go out in commands of at most this many entries, so each stays far below 4 MiB. */
const ENTRIES_PER_REMOVE = 5000;
/** The audit row names at most this many removed paths; the count is always complete. */
const AUDITED_PATHS = 1000;
const REMOVE_DEADLINE_MS = 30 * 60_000;

/**
 * mirror, after every file arrived: lists the destination and the source (both with the job's
 * include/exclude) and removes what only the destination has — only with `delete = true`, and
 * never when a file failed. The destination Star removes each entry through its path jail.
 */
export async function pruneMirror(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  filesFailed: number,
): Promise<ModeFinish> {
  const remove = job.options.delete === true;
  if (filesFailed > 0) return { details: { mirror: { delete: remove, skipped: 'files failed' } } };
  const scan = { include: job.include, exclude: job.exclude };
  const source = await listTree(deps, job.sourceStarId, { ...scan, path: job.sourcePath });
  const present = new Set(source.map((entry) => entry.path));
  const destination = await listTree(deps, job.destinationStarId, { ...scan, path: job.destinationPath });
  // Temp files of transfers in flight are the data plane's business, never extraneous.
  const extraneous = destination.filter((entry) => !present.has(entry.path) && !isPartialPath(entry.path));
  if (!remove || extraneous.length === 0) {
    return { details: { mirror: { delete: remove, extraneous: extraneous.length, removed: 0 } } };
  }

  const removed: string[] = [];
  const failures: PathFailure[] = [];
  // Deepest first across batches too: a folder's contents are removed before the folder.
  const ordered = [...extraneous].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (let start = 0; start < ordered.length; start += ENTRIES_PER_REMOVE) {
    if (!(await stillRunning(deps, run))) break;
    const batch = ordered.slice(start, start + ENTRIES_PER_REMOVE);
    const outcome = await deps.hub.sendCommand(
      job.destinationStarId,
      {
        removePaths: {
          destinationPath: job.destinationPath,
          entries: batch.map((entry) => ({ path: entry.path, kind: entry.kind })),
        },
      },
      { deadlineMs: REMOVE_DEADLINE_MS },
    );
    const result = outcome.result.removePaths;
    if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'removePaths returned no result');
    removed.push(...result.removed);
    failures.push(...result.failures);
  }
  const summary = {
    delete: true,
    extraneous: extraneous.length,
    removed: removed.length,
    notRemoved: failures.length,
  };
  await auditRun(deps, run, 'run.mirror_delete', {
    destinationPath: job.destinationPath,
    ...summary,
    paths: removed.slice(0, AUDITED_PATHS),
    ...(removed.length > AUDITED_PATHS ? { pathsOmitted: removed.length - AUDITED_PATHS } : {}),
    failures: failures.slice(0, AUDITED_PATHS).map((failure) => ({ ...failure })),
  });
  const first = failures[0];
  return {
    details: { mirror: summary },
    ...(first
      ? {
          failure: `${failures.length} extra path(s) could not be removed from the destination; e.g. ${first.path}: ${first.message}`,
        }
      : {}),
  };
}

async function stillRunning(deps: DispatchDeps, run: RunRef): Promise<boolean> {
  const row = await deps.prisma.run.findUnique({ where: { id: run.id }, select: { state: true } });
  return row?.state === 'running';
}
