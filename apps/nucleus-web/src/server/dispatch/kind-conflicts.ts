import { isPartialPath } from '@orbit/engine/transfer/atomic-file';
import type { KindReplace } from '@orbit/engine/transfer/kind-rule';
import type { EntryKind__Output, FileEntry__Output, PathFailure__Output } from '@orbit/proto';
import type { Tx } from '../audit/append-audit.ts';
import { GridCommandError } from '../grid/grid-command-error.ts';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { ENTRIES_PER_COMMAND, STEP_DEADLINE_MS } from './place-entries-step.ts';
import { patchCheckpoints, readCheckpoints } from './run-checkpoints.ts';
import type { ModeJob } from './run-modes.ts';
import { auditRun, type RunRef } from './run-transitions.ts';
import type { SourceFile, SourceScan } from './scan-source.ts';

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
  /** Source folders whose destination path holds something else that stays, with why and the fix. */
  readonly blocked: ReadonlyMap<string, string>;
}

/**
 * The engine's rule (`kind-rule.ts`) for the grid: a file and a symlink replace each other in any
 * mode. A copy replaces nothing else: a folder where the source has a file or symlink fails that
 * path, and a file or symlink where the source has a folder fails the folder and all below it, so
 * nothing is written through a link. A mirror replaces a file or symlink with the source's folder,
 * and a folder with the source's file or symlink only with `delete = true`, with everything the
 * listing shows in it — entries the job excludes and temp files are never listed, so a folder
 * holding them stays (`clearKindConflicts` says so once it tried).
 */
export function kindConflicts(
  source: ReadonlyMap<string, EntryKind__Output>,
  destination: readonly FileEntry__Output[],
  replace: KindReplace,
): KindConflicts {
  const replaced: { path: string; was: EntryKind__Output; now: EntryKind__Output }[] = [];
  const refused = new Map<string, string>();
  const blocked = new Map<string, string>();
  const folders = new Set<string>();
  const toRemove: FileEntry__Output[] = [];
  for (const entry of destination) {
    const now = source.get(entry.path);
    if (now === undefined || now === entry.kind) continue;
    if (now === DIRECTORY) {
      if (replace === 'nothing') blocked.set(entry.path, notAFolder(entry.kind));
      else {
        replaced.push({ path: entry.path, was: entry.kind, now });
        toRemove.push(entry);
      }
    } else if (entry.kind === DIRECTORY && (now === 'ENTRY_KIND_FILE' || now === 'ENTRY_KIND_SYMLINK')) {
      if (replace !== 'files-and-folders') refused.set(entry.path, folderInTheWay(now, replace));
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
  return { remove: toRemove, replaced, refused, blocked };
}

/** Why a folder stays where the source has a file or symlink, and what to do about it. */
export function folderInTheWay(now: EntryKind__Output, replace: KindReplace): string {
  const here = `the destination has a folder here where the source has ${nounOf(now)}`;
  return {
    nothing: `${here}: copy never removes a folder; move the folder out of the way, or use mode = "mirror" with delete = true, which replaces it and everything in it; then run the job again`,
    files: `${here}: a mirror replaces a folder, and everything in it, only with delete = true; set delete = true on the job, or move the folder out of the way, then run the job again`,
    'files-and-folders': `${here}, and it still holds entries this mirror does not remove (excluded by the job's include/exclude, or a transfer's temp files): move them out of the way, then run the job again`,
  }[replace];
}

/** Why a copy leaves a file, symlink or special file where the source has a folder, and the fix. */
function notAFolder(kind: EntryKind__Output): string {
  const why =
    kind === 'ENTRY_KIND_SYMLINK'
      ? 'copy neither writes through a symlink nor replaces one with a folder'
      : 'copy does not replace it with a folder';
  return `${nounOf(kind)} stands where the source has a folder: ${why}; move it out of the way, or use mode = "mirror", which replaces it; then run the job again`;
}

/**
 * Adds to `refused` every pushed file below a folder in `blocked` (a later name of a file is not
 * pushed: linking it is refused where it lands, by the Star). Not sent, so never written through.
 */
function refuseBelow(
  files: readonly SourceFile[],
  blocked: ReadonlyMap<string, string>,
  refused: Map<string, string>,
): void {
  if (blocked.size === 0) return;
  for (const file of files) {
    const folder = file.hardLinkTo ? undefined : blockedAbove(file.path, blocked);
    if (folder !== undefined) {
      refused.set(file.path, `not copied: at the destination's "${folder}" ${blocked.get(folder)}`);
    }
  }
}

/**
 * mirror, after the pushes: the source's files and symlinks whose path still holds a folder (the
 * step before the pushes could not replace it), each with why and how to fix it. Files are only
 * found here when a restarted Nucleus finished the run (the refusals before the pushes were not kept).
 */
export function blockedByFolders(
  source: readonly FileEntry__Output[],
  destination: readonly FileEntry__Output[],
  replace: KindReplace,
): { readonly files: PathFailure__Output[]; readonly links: PathFailure__Output[] } {
  const folders = new Set(destination.filter((entry) => entry.kind === DIRECTORY).map((entry) => entry.path));
  const blocked = (kind: EntryKind__Output) =>
    source
      .filter((entry) => entry.kind === kind && folders.has(entry.path))
      .map((entry) => ({ path: entry.path, message: folderInTheWay(kind, replace) }));
  return { files: blocked('ENTRY_KIND_FILE'), links: blocked('ENTRY_KIND_SYMLINK') };
}

/**
 * copy, before the pushes: the destination is listed and the source files that must not be pushed
 * are named, with why — their path holds a folder, or a folder above them is a file or symlink at
 * the destination (a file arriving below a symlink would land wherever it leads).
 */
export async function checkCopyKinds(
  deps: DispatchDeps,
  job: ModeJob,
  scan: SourceScan,
): Promise<ReadonlyMap<string, string>> {
  const conflicts = kindConflicts(kindsOf(scan), await listDestination(deps, job), 'nothing');
  const refused = new Map(conflicts.refused);
  // A later name is not pushed but linked after the pushes, which fails it where a folder stands.
  for (const file of scan.files) if (file.hardLinkTo) refused.delete(file.path);
  refuseBelow(scan.files, conflicts.blocked, refused);
  return refused;
}

/**
 * mirror, before the pushes: a file cannot arrive where a folder stands, and a file arriving below
 * a symlink would land wherever the link leads, so the destination entries in the way go first
 * (through the destination Star's jail, audited as `run.mirror_replace`). Returns the source files
 * that must not be pushed, with why: their folder stays (no delete, or it holds excluded entries),
 * or what stands where the source has a folder above them could not be removed.
 */
export async function clearKindConflicts(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  scan: SourceScan,
): Promise<ReadonlyMap<string, string>> {
  const replace = job.options.delete === true ? 'files-and-folders' : 'files';
  const conflicts = kindConflicts(kindsOf(scan), await listDestination(deps, job), replace);
  if (conflicts.remove.length === 0) return conflicts.refused;
  const { removed, failures } = await removeEntries(deps, run, job, conflicts.remove);
  const gone = new Set(removed);
  const refused = new Map(conflicts.refused);
  const blocked = new Map<string, string>();
  for (const { path, was, now } of conflicts.replaced) {
    if (gone.has(path)) continue;
    const inside = failures.find((failure) => failure.path === path || failure.path.startsWith(`${path}/`));
    if (now === DIRECTORY) {
      blocked.set(
        path,
        `${nounOf(was)} stands where the source has a folder and could not be removed${inside ? ` (${inside.message})` : ''}: fix that, then run the job again`,
      );
      continue;
    }
    refused.set(
      path,
      inside
        ? `the destination has a folder here where the source has a file or symlink, and ${inside.path} in it could not be removed: ${inside.message}`
        : folderInTheWay(now, replace),
    );
  }
  refuseBelow(scan.files, blocked, refused);
  if (removed.length === 0 && failures.length === 0) return refused;
  const replaced = conflicts.replaced.filter((entry) => gone.has(entry.path));
  await auditRun(
    deps,
    run,
    'run.mirror_replace',
    {
      destinationPath: job.destinationPath,
      replaced: replaced.slice(0, AUDITED_PATHS),
      removed: removed.length,
      paths: removed.slice(0, AUDITED_PATHS),
      ...(removed.length > AUDITED_PATHS ? { pathsOmitted: removed.length - AUDITED_PATHS } : {}),
      failures: failures.slice(0, AUDITED_PATHS).map((failure) => ({ ...failure })),
    },
    (tx) =>
      addReplaced(tx, run, { paths: replaced.length, removed: removed.length, notRemoved: failures.length }),
  );
  return refused;
}

/** What the replacements before the pushes did, kept on the run as `checkpoints.mirrorReplace`. */
export interface MirrorReplaced {
  /** Paths whose destination entry made way for the source's kind. */
  readonly paths: number;
  /** Destination entries removed for them (a folder's contents each count). */
  readonly removed: number;
  readonly notRemoved: number;
}

/** Adds one attempt's replacements to the run's (an earlier attempt of the run may have made some). */
export async function addReplaced(tx: Tx, run: RunRef, added: MirrorReplaced): Promise<void> {
  const current = await readCheckpoints(tx, run.id);
  const before = current.mirrorReplace as Partial<MirrorReplaced> | undefined;
  const mirrorReplace = {
    paths: (before?.paths ?? 0) + added.paths,
    removed: (before?.removed ?? 0) + added.removed,
    notRemoved: (before?.notRemoved ?? 0) + added.notRemoved,
  };
  await tx.run.update({
    where: { id: run.id },
    data: { checkpoints: patchCheckpoints(current, { mirrorReplace }) },
    select: { id: true },
  });
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

/** The outermost folder in `blocked` that `path` lies below, if any. */
function blockedAbove(path: string, blocked: ReadonlyMap<string, string>): string | undefined {
  for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
    if (blocked.has(path.slice(0, at))) return path.slice(0, at);
  }
  return undefined;
}

function nounOf(kind: EntryKind__Output): string {
  return NOUNS[kind];
}

const NOUNS: Readonly<Record<EntryKind__Output, string>> = {
  ENTRY_KIND_UNSPECIFIED: 'an entry',
  ENTRY_KIND_FILE: 'a file',
  ENTRY_KIND_DIRECTORY: 'a folder',
  ENTRY_KIND_SYMLINK: 'a symlink',
  ENTRY_KIND_OTHER: 'a special file',
};

/** The job's destination as its Star lists it (include/exclude there; nothing yet when it is missing). */
function listDestination(deps: DispatchDeps, job: ModeJob): Promise<FileEntry__Output[]> {
  return listTree(
    deps,
    job.destinationStarId,
    { path: job.destinationPath, include: job.include, exclude: job.exclude },
    true,
  );
}

/** What the source has at each path. */
function kindsOf(scan: SourceScan): Map<string, EntryKind__Output> {
  const kinds = new Map<string, EntryKind__Output>(scan.tree.map((entry) => [entry.path, entry.kind]));
  for (const file of scan.files) kinds.set(file.path, 'ENTRY_KIND_FILE');
  return kinds;
}

async function stillRunning(deps: DispatchDeps, run: RunRef): Promise<boolean> {
  const row = await deps.prisma.run.findUnique({ where: { id: run.id }, select: { state: true } });
  return row?.state === 'running';
}
