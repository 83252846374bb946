import { isPartialPath } from '@orbit/engine/transfer/atomic-file';
import type { EntryKind__Output, FileEntry__Output, PathFailure__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { ENTRIES_PER_COMMAND, STEP_DEADLINE_MS } from './place-entries-step.ts';
import type { ModeJob } from './run-modes.ts';
import { auditRun, type RunRef } from './run-transitions.ts';

/** The audit row names at most this many paths; the counts are always complete. */
const AUDITED_PATHS = 1000;

const DIRECTORY: EntryKind__Output = 'ENTRY_KIND_DIRECTORY';

/** Where the destination holds another kind of entry than the source at the same path. */
export interface KindConflicts {
  /** Destination entries to remove so the source's can take their place. */
  readonly remove: readonly FileEntry__Output[];
  /** The paths being replaced: what the destination has there, what the source has. */
  readonly replaced: readonly { path: string; was: EntryKind__Output; now: EntryKind__Output }[];
  /** Source paths whose destination folder stays in the way, each with why and how to fix it. */
  readonly refused: ReadonlyMap<string, string>;
}

/**
 * A mirror makes the destination hold what the source holds at each path. A file or symlink where
 * the source has a folder is replaced (as a file and a link replace each other). A folder where the
 * source has a file or symlink goes only with `delete = true`, with everything the listing shows in
 * it — the CLI's mirror deletes those entries too, and only then; entries the job excludes and temp
 * files are never listed, so a folder holding them stays (`clearKindConflicts` says so once it tried).
 */
export function kindConflicts(
  source: ReadonlyMap<string, EntryKind__Output>,
  destination: readonly FileEntry__Output[],
  remove: boolean,
): KindConflicts {
  const replaced: { path: string; was: EntryKind__Output; now: EntryKind__Output }[] = [];
  const refused = new Map<string, string>();
  const folders = new Set<string>();
  const toRemove: FileEntry__Output[] = [];
  for (const entry of destination) {
    const now = source.get(entry.path);
    if (now === undefined || now === entry.kind) continue;
    if (now === DIRECTORY) {
      replaced.push({ path: entry.path, was: entry.kind, now });
      toRemove.push(entry);
    } else if (entry.kind === DIRECTORY && (now === 'ENTRY_KIND_FILE' || now === 'ENTRY_KIND_SYMLINK')) {
      if (!remove) refused.set(entry.path, folderInTheWay(now, false));
      else {
        replaced.push({ path: entry.path, was: entry.kind, now });
        folders.add(entry.path);
      }
    }
  }
  if (folders.size > 0) {
    for (const entry of destination) {
      if (!isPartialPath(entry.path) && withinAny(entry.path, folders)) toRemove.push(entry);
    }
  }
  return { remove: toRemove, replaced, refused };
}

/** Why a folder stays where the source has a file or symlink, and what to do about it. */
export function folderInTheWay(now: EntryKind__Output, remove: boolean): string {
  const what = now === 'ENTRY_KIND_SYMLINK' ? 'a symlink' : 'a file';
  return remove
    ? `the destination has a folder here where the source has ${what}, and it still holds entries this mirror does not remove (excluded by the job's include/exclude, or a transfer's temp files): move them out of the way, then run the job again`
    : `the destination has a folder here where the source has ${what}: a mirror replaces a folder, and everything in it, only with delete = true; set delete = true on the job, or move the folder out of the way, then run the job again`;
}

/**
 * mirror, after the pushes: the source's files and symlinks whose path still holds a folder (the
 * step before the pushes could not replace it), each with why and how to fix it. Files are only
 * found here when a restarted Nucleus finished the run (the refusals before the pushes were not kept).
 */
export function blockedByFolders(
  source: readonly FileEntry__Output[],
  destination: readonly FileEntry__Output[],
  remove: boolean,
): { readonly files: PathFailure__Output[]; readonly links: PathFailure__Output[] } {
  const folders = new Set(destination.filter((entry) => entry.kind === DIRECTORY).map((entry) => entry.path));
  const blocked = (kind: EntryKind__Output) =>
    source
      .filter((entry) => entry.kind === kind && folders.has(entry.path))
      .map((entry) => ({ path: entry.path, message: folderInTheWay(kind, remove) }));
  return { files: blocked('ENTRY_KIND_FILE'), links: blocked('ENTRY_KIND_SYMLINK') };
}

/**
 * mirror, before the pushes: a file cannot arrive where a folder stands, and a file arriving below
 * a symlink would land wherever the link leads, so the destination entries in the way go first
 * (through the destination Star's jail, audited as `run.mirror_replace`). Returns the source files
 * that must not be pushed, with why: their folder stays (no delete, or it holds excluded entries).
 */
export async function clearKindConflicts(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  source: ReadonlyMap<string, EntryKind__Output>,
): Promise<ReadonlyMap<string, string>> {
  const remove = job.options.delete === true;
  const destination = await listTree(
    deps,
    job.destinationStarId,
    { path: job.destinationPath, include: job.include, exclude: job.exclude },
    true,
  );
  const conflicts = kindConflicts(source, destination, remove);
  if (conflicts.remove.length === 0) return conflicts.refused;
  const { removed, failures } = await removeEntries(deps, run, job, conflicts.remove);
  const gone = new Set(removed);
  const refused = new Map(conflicts.refused);
  for (const { path, now } of conflicts.replaced) {
    if (gone.has(path) || now === DIRECTORY) continue;
    const inside = failures.find((failure) => failure.path === path || failure.path.startsWith(`${path}/`));
    refused.set(
      path,
      inside
        ? `the destination has a folder here where the source has a file or symlink, and ${inside.path} in it could not be removed: ${inside.message}`
        : folderInTheWay(now, true),
    );
  }
  if (removed.length === 0 && failures.length === 0) return refused;
  await auditRun(deps, run, 'run.mirror_replace', {
    destinationPath: job.destinationPath,
    replaced: conflicts.replaced.filter((entry) => gone.has(entry.path)).slice(0, AUDITED_PATHS),
    removed: removed.length,
    paths: removed.slice(0, AUDITED_PATHS),
    ...(removed.length > AUDITED_PATHS ? { pathsOmitted: removed.length - AUDITED_PATHS } : {}),
    failures: failures.slice(0, AUDITED_PATHS).map((failure) => ({ ...failure })),
  });
  return refused;
}

/**
 * The destination Star removes the entries through its jail, deepest first across commands (a
 * folder's contents before the folder); no further command once the run stopped running.
 */
export async function removeEntries(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  entries: readonly FileEntry__Output[],
): Promise<{ removed: string[]; failures: PathFailure__Output[] }> {
  const removed: string[] = [];
  const failures: PathFailure__Output[] = [];
  const ordered = [...entries].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (let start = 0; start < ordered.length; start += ENTRIES_PER_COMMAND) {
    if (!(await stillRunning(deps, run))) break;
    const outcome = await deps.hub.sendCommand(
      job.destinationStarId,
      {
        removePaths: {
          destinationPath: job.destinationPath,
          entries: ordered
            .slice(start, start + ENTRIES_PER_COMMAND)
            .map(({ path, kind }) => ({ path, kind })),
        },
      },
      { deadlineMs: STEP_DEADLINE_MS },
    );
    const result = outcome.result.removePaths;
    if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'removePaths returned no result');
    removed.push(...result.removed);
    failures.push(...result.failures);
  }
  return { removed, failures };
}

function withinAny(path: string, folders: ReadonlySet<string>): boolean {
  for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
    if (folders.has(path.slice(0, at))) return true;
  }
  return folders.has(path);
}

async function stillRunning(deps: DispatchDeps, run: RunRef): Promise<boolean> {
  const row = await deps.prisma.run.findUnique({ where: { id: run.id }, select: { state: true } });
  return row?.state === 'running';
}
