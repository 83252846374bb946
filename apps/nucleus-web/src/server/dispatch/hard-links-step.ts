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
  /** Files that fail without being placed, with why. */
  readonly refused: readonly PathFailure__Output[];
  /** Every later name's size, for the run's byte counts. */
  readonly sizes: ReadonlyMap<string, number>;
}

/**
 * The later names in `source` (listed after the pushes) and what becomes of them. The listing is
 * the source as it is now: a file that was a later name when the run scanned it, and so was not
 * pushed, but is a file of its own by now is neither sent nor linked; it fails, so the run never
 * reports it arrived.
 */
export async function planHardLinks(
  deps: DispatchDeps,
  run: RunRef,
  source: readonly FileEntry__Output[],
): Promise<HardLinkPlan> {
  const files = source.filter((entry) => entry.kind === 'ENTRY_KIND_FILE');
  const later = files.filter((entry) => entry.hardLinkTo !== '');
  const sizes = new Map(later.map((entry) => [entry.path, Number(entry.size)]));
  // Every pushed file is done or failed by now: what is still pending was neither pushed nor linked.
  const open = await deps.prisma.runFile.findMany({
    where: { runId: run.id, status: { in: ['failed', 'pending'] } },
    select: { path: true, status: true },
  });
  const failed = new Set(open.filter((row) => row.status === 'failed').map((row) => row.path));
  const pending = new Set(open.filter((row) => row.status === 'pending').map((row) => row.path));
  const unsent = files
    .filter((entry) => entry.hardLinkTo === '' && pending.has(entry.path))
    .map((entry) => ({
      path: entry.path,
      message:
        'not sent: it was another name of a file when the run scanned the source and is a file of its own now; run the job again',
    }));
  return {
    link: later.filter((entry) => !failed.has(entry.hardLinkTo)),
    refused: [
      ...later
        .filter((entry) => failed.has(entry.hardLinkTo))
        .map((entry) => ({
          path: entry.path,
          message: `not linked: its other name "${entry.hardLinkTo}" failed in this run; fix that failure, then run the job again`,
        })),
      ...unsent,
    ],
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
  if (plan.sizes.size === 0 && plan.refused.length === 0) return { details: {} };
  const failures = [...plan.refused, ...placed.failures.filter((failure) => plan.sizes.has(failure.path))];
  const done = [...placed.hardLinked, ...placed.hardLinkCopies];
  await fencedWrite(deps, 'run.hard_links', runSubject(run), async (tx) => {
    // Counted by the rows set done: a name added to the source since its scan has no row.
    const marked = await markFiles(
      tx,
      run,
      done,
      failures.map((failure) => ({ path: failure.path, cause: `hard-link: ${failure.message}` })),
    );
    await tx.run.update({
      where: { id: run.id },
      data: { filesDone: { increment: marked.files }, bytesDone: { increment: marked.bytes } },
      select: { id: true },
    });
  });
  deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
  const first = failures[0];
  return {
    details:
      plan.sizes.size === 0
        ? {}
        : {
            hardLinked: placed.hardLinked.length - placed.hardLinksUnchanged,
            hardLinksUnchanged: placed.hardLinksUnchanged,
            hardLinkCopies: placed.hardLinkCopies.length,
            ...(failures.length > 0 ? { hardLinksFailed: failures.length } : {}),
          },
    ...(first
      ? {
          failure: `${failures.length} file(s) not linked or sent at the destination; e.g. ${first.path}: ${first.message}`,
        }
      : {}),
  };
}

/** The placing errors that are not about a later name (folders and symlinks). */
export function treeFailures(plan: HardLinkPlan, placed: Placed): Placed {
  return { ...placed, failures: placed.failures.filter((failure) => !plan.sizes.has(failure.path)) };
}
