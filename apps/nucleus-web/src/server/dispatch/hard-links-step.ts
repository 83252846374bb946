import type { FileEntry__Output, PathFailure__Output } from '@orbit/proto';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import type { Placed } from './place-entries-step.ts';
import { markFiles } from './run-progress.ts';
import type { RunRef } from './run-transitions.ts';

/**
 * A file's later names in a copy or mirror (`hardLinkTo` in the source's scan): they are not
 * pushed; after the pushes the destination Star links each to the file that arrived for its first
 * name, as the CLI does. Those whose first name failed in this run are not linked (the CLI's rule:
 * a link to an old or missing copy would be wrong) and fail with that reason.
 */
export interface HardLinkPlan {
  /** Later names to link at the destination. */
  readonly link: readonly FileEntry__Output[];
  /** Later names not linked: their first name failed to arrive. */
  readonly refused: readonly PathFailure__Output[];
  /** Every later name's size, for the run's byte counts. */
  readonly sizes: ReadonlyMap<string, number>;
}

export async function planHardLinks(
  deps: DispatchDeps,
  run: RunRef,
  source: readonly FileEntry__Output[],
): Promise<HardLinkPlan> {
  const later = source.filter((entry) => entry.kind === 'ENTRY_KIND_FILE' && entry.hardLinkTo !== '');
  const sizes = new Map(later.map((entry) => [entry.path, Number(entry.size)]));
  if (later.length === 0) return { link: [], refused: [], sizes };
  const failedRows = await deps.prisma.runFile.findMany({
    where: {
      runId: run.id,
      status: 'failed',
      path: { in: [...new Set(later.map((entry) => entry.hardLinkTo))] },
    },
    select: { path: true },
  });
  const failed = new Set(failedRows.map((row) => row.path));
  return {
    link: later.filter((entry) => !failed.has(entry.hardLinkTo)),
    refused: later
      .filter((entry) => failed.has(entry.hardLinkTo))
      .map((entry) => ({
        path: entry.path,
        message: `not linked: its other name "${entry.hardLinkTo}" failed in this run; fix that failure, then run the job again`,
      })),
    sizes,
  };
}

/** What the linking did, for the mode's counters in `Run.checkpoints` (empty when the job has none). */
export interface HardLinksDone {
  readonly details: Record<string, number>;
  readonly failure?: string;
}

/**
 * Records each later name's outcome on its RunFile row (done, or failed with a DeadLetter) and in the
 * run's file and byte counts, in one fenced transaction; placing errors of these names are theirs,
 * not the folders' and symlinks'.
 */
export async function recordHardLinks(
  deps: DispatchDeps,
  run: RunRef,
  plan: HardLinkPlan,
  placed: Placed,
): Promise<HardLinksDone> {
  if (plan.sizes.size === 0) return { details: {} };
  const failures = [...plan.refused, ...placed.failures.filter((failure) => plan.sizes.has(failure.path))];
  const done = [...placed.hardLinked, ...placed.hardLinkCopies];
  const bytes = done.reduce((sum, path) => sum + (plan.sizes.get(path) ?? 0), 0);
  await fencedWrite(deps, 'run.hard_links', runSubject(run), async (tx) => {
    await markFiles(
      tx,
      run,
      done,
      failures.map((failure) => ({ path: failure.path, cause: `hard-link: ${failure.message}` })),
    );
    await tx.run.update({
      where: { id: run.id },
      data: { filesDone: { increment: done.length }, bytesDone: { increment: BigInt(bytes) } },
      select: { id: true },
    });
  });
  deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
  const first = failures[0];
  return {
    details: {
      hardLinked: placed.hardLinked.length - placed.hardLinksUnchanged,
      hardLinksUnchanged: placed.hardLinksUnchanged,
      hardLinkCopies: placed.hardLinkCopies.length,
      ...(failures.length > 0 ? { hardLinksFailed: failures.length } : {}),
    },
    ...(first
      ? {
          failure: `${failures.length} hard link(s) could not be made at the destination; e.g. ${first.path}: ${first.message}`,
        }
      : {}),
  };
}

/** The placing errors that are not about a later name (folders and symlinks). */
export function treeFailures(plan: HardLinkPlan, placed: Placed): Placed {
  return { ...placed, failures: placed.failures.filter((failure) => !plan.sizes.has(failure.path)) };
}
