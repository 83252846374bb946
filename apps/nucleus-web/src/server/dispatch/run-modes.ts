import { posix } from 'node:path';
import type { PushTotals } from '@orbit/engine/transfer/push-totals';
import type { EntryKind__Output, HashAlgorithm, PrepareReceive, PushedFile__Output } from '@orbit/proto';
import type { Prisma } from '../db/create-db.ts';
import { jobOptionsSchema } from '../services/jobs/job-fields.ts';
import { finishArchive } from './archive-finish.ts';
import { archiveUnchanged } from './archive-unchanged.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import { finishMirror } from './mirror-finish.ts';
import { clearKindConflicts } from './mirror-kinds.ts';
import { finishCopy } from './place-entries-step.ts';
import type { RunRef } from './run-transitions.ts';
import type { SourceFile, SourceScan } from './scan-source.ts';

/** The job as a mode's steps see it; both Stars are set (a run never starts without them). */
export interface ModeJob {
  readonly id: string;
  readonly name: string;
  readonly mode: string;
  readonly sourceStarId: string;
  readonly destinationStarId: string;
  readonly sourcePath: string;
  readonly destinationPath: string;
  readonly include: string[];
  readonly exclude: string[];
  readonly checksum: string;
  readonly options: { readonly delete?: boolean | undefined; readonly packSize?: number | undefined };
}

/** What a mode's last step adds to the run: counters for `checkpoints` and the audit row, or why it failed. */
export interface ModeFinish {
  readonly details: Prisma.InputJsonObject;
  readonly failure?: string;
}

/**
 * How each job mode runs between Stars. Files always travel the same way (scan, prepare, pushes);
 * a mode adds what its receiver needs and a step after the last batch.
 */
interface RunMode {
  /**
   * A file's later names in the job (hard links, `hardLinkTo`) are not pushed: the mode's last
   * step links them at the destination to the file that arrived for the first name.
   */
  readonly linksHardLinks: boolean;
  /** Why a job of this mode must not run on its Stars and paths; undefined when it may. */
  refuse(job: ModeJob): string | undefined;
  /**
   * After the scan, before the first push: readies the destination for the source's tree and names
   * the files that must not be pushed, each with why (mirror: a folder in the way that stays).
   */
  beforePushes?(
    deps: DispatchDeps,
    run: RunRef,
    job: ModeJob,
    scan: SourceScan,
  ): Promise<ReadonlyMap<string, string>>;
  /** Added to the destination's PrepareReceive. */
  receive(job: ModeJob): Pick<PrepareReceive, 'archive'>;
  /**
   * Before a batch is pushed: the files of it the destination already holds, recorded there for
   * this run; they are not pushed (archive: unchanged since its latest snapshot).
   */
  held?(deps: DispatchDeps, job: ModeJob, files: readonly SourceFile[]): Promise<PushedFile__Output[]>;
  /** After the last batch (also when files failed): prune, snapshot, or nothing. */
  finish(deps: DispatchDeps, run: RunRef, job: ModeJob, totals: PushTotals): Promise<ModeFinish>;
}

export const HASH_ALGORITHMS: Record<string, HashAlgorithm> = {
  blake3: 'HASH_ALGORITHM_BLAKE3',
  sha256: 'HASH_ALGORITHM_SHA256',
};

const RUN_MODES: Record<string, RunMode> = {
  copy: { linksHardLinks: true, refuse: () => undefined, receive: () => ({}), finish: finishCopy },
  mirror: {
    linksHardLinks: true,
    refuse: (job) =>
      job.options.delete && sameStar(job) && within(job.sourcePath, job.destinationPath)
        ? `mirror with delete would remove its own source ${job.sourcePath}, which lies inside the destination ${job.destinationPath}: choose a destination that does not contain the source, or turn delete off`
        : undefined,
    beforePushes: (deps, run, job, scan) => clearKindConflicts(deps, run, job, kindsOf(scan)),
    receive: () => ({}),
    finish: (deps, run, job, totals) => finishMirror(deps, run, job, totals.filesFailed),
  },
  archive: {
    // The store keeps every name as its own entry (its chunks stored once); restore writes files.
    linksHardLinks: false,
    refuse: (job) =>
      sameStar(job) && within(job.destinationPath, job.sourcePath)
        ? `the archive destination ${job.destinationPath} lies inside the source ${job.sourcePath}: archive into a folder outside the source`
        : undefined,
    receive: (job) => ({ archive: archiveReceive(job) }),
    held: (deps, job, files) => archiveUnchanged(deps, job, archiveReceive(job), files),
    finish: finishArchive,
  },
};

/** Chunks are addressed by a real hash: a job with checksum "none" uses BLAKE3, as the CLI does. */
function archiveReceive(job: ModeJob) {
  return {
    algorithm: HASH_ALGORITHMS[job.checksum] ?? ('HASH_ALGORITHM_BLAKE3' as const),
    packSize: job.options.packSize ?? 0,
    jobName: job.name,
  };
}

export function runModeOf(mode: string): RunMode | undefined {
  return RUN_MODES[mode];
}

/** The run's job for the mode steps, with its options parsed (unknown options are ignored). */
export async function loadModeJob(deps: DispatchDeps, run: RunRef): Promise<ModeJob> {
  const row = await deps.prisma.run.findUniqueOrThrow({
    where: { id: run.id },
    select: {
      job: {
        select: {
          id: true,
          name: true,
          mode: true,
          sourceStarId: true,
          destinationStarId: true,
          sourcePath: true,
          destinationPath: true,
          include: true,
          exclude: true,
          checksum: true,
          options: true,
        },
      },
    },
  });
  return modeJobOf(row.job);
}

export function modeJobOf(
  job: Omit<ModeJob, 'options' | 'sourceStarId' | 'destinationStarId'> & {
    readonly sourceStarId: string | null;
    readonly destinationStarId: string | null;
    readonly options: unknown;
  },
): ModeJob {
  const options = jobOptionsSchema.safeParse(job.options);
  return {
    ...job,
    sourceStarId: job.sourceStarId ?? '',
    destinationStarId: job.destinationStarId ?? '',
    options: options.success ? options.data : {},
  };
}

/**
 * The mode's step after the last batch, its counters kept in `Run.checkpoints` beside the push
 * counters (under the mode's name) so the run page and the next attempt can read them.
 */
export async function finishMode(deps: DispatchDeps, run: RunRef, totals: PushTotals): Promise<ModeFinish> {
  const job = await loadModeJob(deps, run);
  const mode = runModeOf(job.mode);
  if (!mode) return { details: {}, failure: `mode "${job.mode}" is unknown to this Nucleus` };
  const finished = await mode.finish(deps, run, job, totals);
  if (Object.keys(finished.details).length > 0) {
    const row = await deps.prisma.run.findUniqueOrThrow({
      where: { id: run.id },
      select: { checkpoints: true },
    });
    const checkpoints =
      typeof row.checkpoints === 'object' && row.checkpoints !== null && !Array.isArray(row.checkpoints)
        ? (row.checkpoints as Prisma.InputJsonObject)
        : {};
    await fencedWrite(deps, 'run.mode_counts', runSubject(run), (tx) =>
      tx.run.update({
        where: { id: run.id },
        data: { checkpoints: { ...checkpoints, ...finished.details } },
        select: { id: true },
      }),
    );
  }
  return finished;
}

/** What the source has at each path. */
function kindsOf(scan: SourceScan): Map<string, EntryKind__Output> {
  const kinds = new Map<string, EntryKind__Output>(scan.tree.map((entry) => [entry.path, entry.kind]));
  for (const file of scan.files) kinds.set(file.path, 'ENTRY_KIND_FILE');
  return kinds;
}

function sameStar(job: ModeJob): boolean {
  return job.sourceStarId === job.destinationStarId;
}

/** True when `inner` is `outer` or lies below it. */
function within(inner: string, outer: string): boolean {
  const relative = posix.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !posix.isAbsolute(relative));
}
