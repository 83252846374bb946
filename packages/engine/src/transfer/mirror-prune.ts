import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { isErrno } from './atomic-file.ts';

export interface PruneOutcome {
  /** Relative paths the destination has and the source does not (within the job's include/exclude). */
  readonly extraneous: readonly ScanEntry[];
  readonly deleted: readonly ScanEntry[];
  readonly failures: readonly { path: string; message: string }[];
}

/**
 * Finds destination entries the source no longer has, looking only inside the job's scope, and
 * removes them when `remove` is set. `ignore` must hide `.orbit-partial` files (they may belong
 * to a job still running) and the run's own state. Directories are removed only once empty, so excluded files inside survive.
 */
export async function pruneDestination(
  job: ResolvedJob,
  sourcePaths: ReadonlySet<string>,
  options: { remove: boolean; ignore: (path: string) => boolean; signal: AbortSignal },
): Promise<PruneOutcome> {
  const { remove, signal } = options;
  const extraneous: ScanEntry[] = [];
  const failures: { path: string; message: string }[] = [];
  for await (const entry of scanTree(job.destination, {
    include: job.include,
    exclude: job.exclude,
    signal,
    ignore: options.ignore,
    onError: (failure) => failures.push({ path: failure.path, message: failure.error.format() }),
  })) {
    if (!sourcePaths.has(entry.path)) extraneous.push(entry);
  }
  if (!remove) return { extraneous, deleted: [], failures };

  const removed = await removeEntries(job.destination, extraneous);
  return { extraneous, deleted: removed.deleted, failures: [...failures, ...removed.failures] };
}

/**
 * Removes `entries` (relative to `root`) deepest first, so a folder's contents go before the
 * folder; a folder that still holds something (an entry not listed) stays, without a failure.
 */
export async function removeEntries(
  root: string,
  entries: readonly ScanEntry[],
): Promise<{ deleted: ScanEntry[]; failures: { path: string; message: string }[] }> {
  const deleted: ScanEntry[] = [];
  const failures: { path: string; message: string }[] = [];
  const ordered = [...entries].sort((a, b) => depth(b.path) - depth(a.path));
  for (const entry of ordered) {
    const target = join(root, entry.path);
    try {
      if (entry.kind === 'dir') await rmdir(target);
      else await rm(target);
      deleted.push(entry);
    } catch (error) {
      if (entry.kind === 'dir' && isErrno(error, 'ENOTEMPTY', 'EEXIST')) continue;
      failures.push({ path: entry.path, message: `cannot delete: ${String(error)}` });
    }
  }
  return { deleted, failures };
}

function depth(path: string): number {
  return path.split('/').length;
}
