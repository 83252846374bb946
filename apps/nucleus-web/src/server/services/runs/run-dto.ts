import { z } from 'zod';
import { RUN_STATES } from '../../runs/run-state-machine.ts';
import { isoTime } from '../dto.ts';
import { runFigures, runFiguresDto } from './run-figures.ts';

export const runDto = z.object({
  id: z.string(),
  job: z.object({ id: z.string(), name: z.string() }),
  state: z.enum(RUN_STATES),
  /** Why the run is where it is, in words the UI can show as-is. */
  stateReason: z.string().nullable(),
  attempt: z.number().int(),
  retryOfId: z.string().nullable(),
  star: z.object({ id: z.string(), name: z.string() }).nullable(),
  startedBy: z.string().nullable(),
  queuedAt: isoTime,
  planningAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  error: z.string().nullable(),
  progress: z.object({
    filesTotal: z.number().int(),
    filesDone: z.number().int(),
    bytesTotal: z.number(),
    bytesDone: z.number(),
    bytesWritten: z.number(),
    chunksReused: z.number().int(),
    /** 0–1, or null while the total is unknown (before planning finishes). */
    fraction: z.number().min(0).max(1).nullable(),
  }),
  /**
   * A grid run's last step by job mode: what a mirror removed (or, with delete off, left) at the
   * destination, and the snapshot an archive wrote. Null until the step ran, and for copy jobs.
   */
  mirror: z
    .object({
      delete: z.boolean(),
      extraneous: z.number().int(),
      removed: z.number().int(),
      notRemoved: z.number().int(),
      skipped: z.string().nullable(),
      /** Folders and symlinks created at the destination. */
      placed: z.number().int(),
      /** Source symlinks the destination Star could not create (not on Linux), and why. */
      symlinksSkipped: z.number().int(),
      skippedReason: z.string().nullable(),
    })
    .nullable(),
  archive: z.object({ snapshotId: z.string(), files: z.number().int(), chunks: z.number().int() }).nullable(),
  /** A copy's last step: folders and symlinks created at the destination, symlinks it could not create and why. */
  copy: z
    .object({
      placed: z.number().int(),
      symlinksSkipped: z.number().int(),
      skippedReason: z.string().nullable(),
    })
    .nullable(),
  ...runFiguresDto.shape,
});
export type RunDto = z.infer<typeof runDto>;

export const runSelect = {
  id: true,
  job: { select: { id: true, name: true } },
  state: true,
  attempt: true,
  retryOfId: true,
  star: { select: { id: true, name: true } },
  createdBy: { select: { email: true } },
  queuedAt: true,
  planningAt: true,
  startedAt: true,
  finishedAt: true,
  error: true,
  filesTotal: true,
  filesDone: true,
  bytesTotal: true,
  bytesDone: true,
  bytesWritten: true,
  chunksReused: true,
  checkpoints: true,
} as const;

interface RunRow {
  id: string;
  job: { id: string; name: string };
  state: RunDto['state'];
  attempt: number;
  retryOfId: string | null;
  star: { id: string; name: string } | null;
  createdBy: { email: string } | null;
  queuedAt: Date;
  planningAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  filesTotal: number;
  filesDone: number;
  bytesTotal: bigint;
  bytesDone: bigint;
  bytesWritten: bigint;
  chunksReused: number;
  checkpoints: unknown;
}

/** The dispatcher keeps the mode step's counters in `checkpoints.mirror` / `.archive` / `.copy`. */
const mirrorCheckpoint = z.object({
  delete: z.boolean(),
  extraneous: z.number().int().default(0),
  removed: z.number().int().default(0),
  notRemoved: z.number().int().default(0),
  skipped: z.string().nullable().default(null),
  placed: z.number().int().default(0),
  symlinksSkipped: z.number().int().default(0),
  skippedReason: z.string().nullable().default(null),
});
const copyCheckpoint = z.object({
  placed: z.number().int().default(0),
  symlinksSkipped: z.number().int().default(0),
  skippedReason: z.string().nullable().default(null),
});
const archiveCheckpoint = z.object({
  snapshotId: z.string(),
  files: z.number().int(),
  chunks: z.number().int(),
});

function modeStep<T>(checkpoints: unknown, key: string, schema: z.ZodType<T>): T | null {
  const value = (checkpoints as Record<string, unknown> | null)?.[key];
  const parsed = schema.safeParse(value);
  return value !== undefined && parsed.success ? parsed.data : null;
}

function stateReason(row: RunRow): string | null {
  // The dispatcher writes why an unfinished run waits (a Star offline, a dependency pending) into `error`.
  if (row.state === 'queued')
    return row.error ?? (row.star ? `waiting for Star "${row.star.name}"` : 'waiting for a Star');
  if (row.state === 'succeeded') return null;
  return row.error;
}

export function toRunDto(row: RunRow): RunDto {
  const bytesTotal = Number(row.bytesTotal);
  const bytesDone = Number(row.bytesDone);
  return {
    id: row.id,
    job: row.job,
    state: row.state,
    stateReason: stateReason(row),
    attempt: row.attempt,
    retryOfId: row.retryOfId,
    star: row.star,
    startedBy: row.createdBy?.email ?? null,
    queuedAt: row.queuedAt.toISOString(),
    planningAt: row.planningAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    // While a run is unfinished `error` holds its waiting reason, already given as stateReason.
    error: row.state === 'failed' || row.state === 'cancelled' ? row.error : null,
    progress: {
      filesTotal: row.filesTotal,
      filesDone: row.filesDone,
      bytesTotal,
      bytesDone,
      bytesWritten: Number(row.bytesWritten),
      chunksReused: row.chunksReused,
      fraction: row.state === 'succeeded' ? 1 : bytesTotal > 0 ? Math.min(1, bytesDone / bytesTotal) : null,
    },
    mirror: modeStep(row.checkpoints, 'mirror', mirrorCheckpoint),
    archive: modeStep(row.checkpoints, 'archive', archiveCheckpoint),
    copy: modeStep(row.checkpoints, 'copy', copyCheckpoint),
    ...runFigures(row.checkpoints),
  };
}
