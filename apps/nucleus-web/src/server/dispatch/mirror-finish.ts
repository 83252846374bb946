import { isPartialPath } from '@orbit/engine/transfer/atomic-file';
import type { FileEntry__Output } from '@orbit/proto';
import { listTree } from './destination-tree.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { type HardLinksDone, planHardLinks, recordHardLinks, treeFailures } from './hard-links-step.ts';
import { blockedByFolders, removeEntries } from './mirror-kinds.ts';
import { type Placed, placeEntries, placementFailure, skippedLinks } from './place-entries-step.ts';
import type { ModeFinish, ModeJob } from './run-modes.ts';
import { auditRun, type RunRef } from './run-transitions.ts';

/** The audit row names at most this many removed paths; the count is always complete. */
const AUDITED_PATHS = 1000;

/**
 * mirror, after every file arrived: lists the destination and the source (both with the job's
 * include/exclude), removes what only the destination has — only with `delete = true`, and never
 * when a file failed — then has the destination create the source's folders, hard links and
 * symlinks (a symlink whose path still holds a folder is reported, not placed). The destination
 * Star does each step through its path jail.
 */
export async function finishMirror(
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
  const destination = await listTree(
    deps,
    job.destinationStarId,
    { ...scan, path: job.destinationPath },
    true,
  );
  const blocked = blockedByFolders(source, destination, remove);
  const stuck = blocked.files[0];
  if (stuck) {
    return {
      details: { mirror: { delete: remove, skipped: 'files failed' } },
      failure: `${blocked.files.length} file(s) could not arrive; e.g. ${stuck.path}: ${stuck.message}`,
    };
  }
  // Temp files of transfers in flight are the data plane's business, never extraneous.
  const extraneous = destination.filter((entry) => !present.has(entry.path) && !isPartialPath(entry.path));
  const removal =
    remove && extraneous.length > 0
      ? await removeExtraneous(deps, run, job, extraneous)
      : { details: { mirror: { delete: remove, extraneous: extraneous.length, removed: 0 } } };
  // After the removals: a folder's mtime is set once nothing inside it changes any more.
  const plan = await planHardLinks(deps, run, source);
  const skip = new Set(blocked.links.map((failure) => failure.path));
  const placed = await placeEntries(
    deps,
    job,
    source.filter((entry) => !skip.has(entry.path)),
    plan.link,
  );
  const tree = treeFailures(plan, placed);
  return withPlaced(
    removal,
    { ...tree, failures: [...blocked.links, ...tree.failures] },
    await recordHardLinks(deps, run, plan, placed),
  );
}

/** Removes the extra entries on the destination Star, deepest first, and audits what went. */
async function removeExtraneous(
  deps: DispatchDeps,
  run: RunRef,
  job: ModeJob,
  extraneous: readonly FileEntry__Output[],
): Promise<ModeFinish> {
  const { removed, failures } = await removeEntries(deps, run, job, extraneous);
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

function withPlaced(finish: ModeFinish, placed: Placed, linked: HardLinksDone): ModeFinish {
  const mirror = {
    ...(finish.details.mirror as Record<string, number | boolean>),
    placed: placed.placed,
    ...skippedLinks(placed),
    ...linked.details,
  };
  const failure = finish.failure ?? placementFailure(placed) ?? linked.failure;
  return { details: { ...finish.details, mirror }, ...(failure ? { failure } : {}) };
}
