import type { FileEntry__Output, PathFailure__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { planHardLinks, recordHardLinks, treeFailures } from './hard-links-step.ts';
import type { ModeFinish, ModeJob } from './run-modes.ts';
import type { RunRef } from './run-transitions.ts';

/** Removals and placements go out in commands of at most this many entries (each far below 4 MiB). */
export const ENTRIES_PER_COMMAND = 5000;
export const STEP_DEADLINE_MS = 30 * 60_000;

/**
 * Folders and symlinks of the source, and the later names of its files to link (`links`), created
 * at the destination once its files are in.
 */
export async function placeEntries(
  deps: DispatchDeps,
  job: ModeJob,
  source: readonly FileEntry__Output[],
  links: readonly FileEntry__Output[] = [],
): Promise<Placed> {
  const entries = [
    ...source.filter((entry) => entry.kind === 'ENTRY_KIND_DIRECTORY' || entry.kind === 'ENTRY_KIND_SYMLINK'),
    ...links,
  ];
  let placed = 0;
  const failures: PathFailure__Output[] = [];
  const skipped: PathFailure__Output[] = [];
  const hardLinked: string[] = [];
  const hardLinkCopies: string[] = [];
  let hardLinksUnchanged = 0;
  // Parents first across batches; each folder's metadata is set at the end of its batch.
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let start = 0; start < entries.length; start += ENTRIES_PER_COMMAND) {
    const outcome = await deps.hub.sendCommand(
      job.destinationStarId,
      {
        placeEntries: {
          destinationPath: job.destinationPath,
          entries: entries.slice(start, start + ENTRIES_PER_COMMAND),
        },
      },
      { deadlineMs: STEP_DEADLINE_MS },
    );
    const result = outcome.result.placeEntries;
    if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'placeEntries returned no result');
    placed += result.placed;
    failures.push(...result.failures);
    skipped.push(...result.skipped);
    hardLinked.push(...result.hardLinked);
    hardLinkCopies.push(...result.hardLinkCopies);
    hardLinksUnchanged += result.hardLinksUnchanged;
  }
  return { placed, failures, skipped, hardLinked, hardLinksUnchanged, hardLinkCopies };
}

export interface Placed {
  readonly placed: number;
  readonly failures: readonly PathFailure__Output[];
  /** Symlinks the destination Star may not create (its Deno permissions); reported, not failed. */
  readonly skipped: readonly PathFailure__Output[];
  /** Later names now hard links to their first name (made, or already so). */
  readonly hardLinked: readonly string[];
  readonly hardLinksUnchanged: number;
  /** Later names copied from their first name: the destination cannot hard-link them. */
  readonly hardLinkCopies: readonly string[];
}

/**
 * copy, after the last batch: the files travelled, the source's folders (empty ones too, with their
 * mode and mtime) and symlinks are created at the destination and its files' later names linked,
 * as the CLI's copy does.
 */
export async function finishCopy(deps: DispatchDeps, run: RunRef, job: ModeJob): Promise<ModeFinish> {
  const source = await listTree(deps, job.sourceStarId, {
    path: job.sourcePath,
    include: job.include,
    exclude: job.exclude,
  });
  const plan = await planHardLinks(deps, run, source);
  const placed = await placeEntries(deps, job, source, plan.link);
  const linked = await recordHardLinks(deps, run, plan, placed);
  const failure = placementFailure(treeFailures(plan, placed)) ?? linked.failure;
  return {
    details: { copy: { placed: placed.placed, ...skippedLinks(placed), ...linked.details } },
    ...(failure ? { failure } : {}),
  };
}

/** Symlinks the destination Star could not create, and why, for the mode's counters. */
export function skippedLinks(placed: Placed): Record<string, number | string> {
  return placed.skipped.length > 0
    ? { symlinksSkipped: placed.skipped.length, skippedReason: placed.skipped[0]?.message ?? '' }
    : {};
}

/** Why placing failed, naming the first path, or undefined when every entry was placed. */
export function placementFailure(placed: Placed): string | undefined {
  const first = placed.failures[0];
  return first
    ? `${placed.failures.length} folder(s) or symlink(s) could not be created at the destination; e.g. ${first.path}: ${first.message}`
    : undefined;
}
