import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { CompressionSetting } from '../compression/compression-setting.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import type { FileJournal } from '../transfer/file-journal.ts';

/**
 * The contract between the runner and the code that executes one job in one mode. Each mode
 * (copy, mirror, archive) registers an executor; the runner never switches on mode names.
 */
export type JobMode = 'copy' | 'mirror' | 'archive';

/** A job with every option resolved from `[defaults]`; paths are absolute. */
export interface ResolvedJob {
  readonly name: string;
  readonly source: string;
  readonly destination: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly mode: JobMode;
  /** mirror only: remove destination files that the source no longer has. */
  readonly delete: boolean;
  readonly compression: CompressionSetting;
  readonly checksum: ChecksumAlgorithm;
  readonly resume: boolean;
  readonly chunking: ChunkingOptions;
  readonly dependsOn: readonly string[];
  /** archive only: rotate `.orbitpak` containers at this size. */
  readonly packSize: number;
}

export type ProgressEvent =
  | {
      readonly type: 'job-start';
      readonly job: string;
      readonly totalFiles?: number;
      readonly totalBytes?: number;
    }
  | { readonly type: 'file-start'; readonly job: string; readonly path: string; readonly size: number }
  | {
      readonly type: 'bytes';
      readonly job: string;
      readonly path: string;
      readonly read: number;
      readonly written: number;
    }
  | { readonly type: 'file-done'; readonly job: string; readonly path: string; readonly action: FileAction }
  | { readonly type: 'file-failed'; readonly job: string; readonly path: string; readonly error: string }
  | { readonly type: 'job-done'; readonly job: string; readonly result: JobResult };

export type FileAction = 'copied' | 'updated' | 'unchanged' | 'deleted' | 'archived' | 'linked' | 'skipped';

export interface JobCounters {
  /** Files, symlinks and special files the scan found (folders are not counted). */
  filesScanned: number;
  filesCopied: number;
  filesUpdated: number;
  filesUnchanged: number;
  filesDeleted: number;
  filesSkipped: number;
  /** Bytes read from the source (and from the destination when comparing chunks). */
  bytesRead: number;
  /**
   * New bytes written to the destination (chunks that were not already there). In a dry run, which
   * reads no file, an upper bound: the size of every file it would copy or update.
   */
  bytesWritten: number;
  chunksWritten: number;
  chunksReused: number;
}

export interface FileFailure {
  readonly path: string;
  readonly message: string;
}

export interface JobResult {
  readonly job: string;
  readonly status: 'succeeded' | 'failed' | 'skipped' | 'resumed-complete';
  readonly counters: JobCounters;
  readonly durationMs: number;
  readonly retries: number;
  /** Why the job failed or was skipped (e.g. `dependency "a" failed`). */
  readonly reason?: string;
  readonly failures: readonly FileFailure[];
  /** mirror without `delete`: destination paths (relative, in the job's scope) the source no longer has. */
  readonly extraneous?: readonly string[];
  /** Every written file's whole-file hash matched the source's (false when any verification failed). */
  readonly checksumMatch?: boolean;
  /** Entries left alone on purpose (special files…), each with why. */
  readonly skipped?: readonly FileFailure[];
  /**
   * Dry runs only: skipped because its source is made by a job it waits for, which a dry run does
   * not run; not a failure.
   */
  readonly notPreviewed?: boolean;
}

/**
 * Provenance an executor reports for the audit log; the runner links it into the HMAC chain.
 * Kept here, not in audit/, so executors depend only on this contract.
 */
export type ProvenanceEvent =
  | {
      readonly type: 'file';
      readonly job: string;
      readonly path: string;
      readonly size: number;
      readonly hash: string;
      readonly action: FileAction;
      readonly chunksWritten: number;
      readonly chunksReused: number;
    }
  | {
      readonly type: 'chunk';
      readonly job: string;
      readonly file: string;
      readonly offset: number;
      readonly length: number;
      readonly hash: string;
      readonly action: 'written' | 'reused' | 'deduplicated';
    };

/** What the runner hands every executor. */
export interface JobContext {
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Scan and report what would change; write nothing. */
  readonly dryRun: boolean;
  /** The run's state folder (`<manifest folder>/.orbit/` by default); executors keep per-job state under it. */
  readonly stateDir: string;
  /** Resume journal for this job's file transfers; absent when the job has `resume = false`. */
  readonly journal?: FileJournal;
  /** Absolute paths executors must neither read nor write (the run's own state folder and audit log). */
  readonly ignorePaths?: readonly string[];
  /** Bytes between resume checkpoints inside one large file (executors have a default). */
  readonly checkpointBytes?: number;
  /** false: small files are copied on the job's own thread, not by a worker (tests that need the order). */
  readonly smallFileWorker?: boolean;
  onProgress(event: ProgressEvent): void;
  /** Appends provenance to the audit chain; resolves once the line is queued in order. */
  audit(event: ProvenanceEvent): Promise<void>;
}

/** One registry entry per mode; the runner looks executors up by `job.mode`. */
export type JobExecutor = (job: ResolvedJob, context: JobContext) => Promise<JobResult>;
export type ExecutorRegistry = Readonly<Partial<Record<JobMode, JobExecutor>>>;

export function emptyCounters(): JobCounters {
  return {
    filesScanned: 0,
    filesCopied: 0,
    filesUpdated: 0,
    filesUnchanged: 0,
    filesDeleted: 0,
    filesSkipped: 0,
    bytesRead: 0,
    bytesWritten: 0,
    chunksWritten: 0,
    chunksReused: 0,
  };
}

/**
 * A path's outcome as every executor reports it: a progress event, and its audit line, except for
 * an unchanged file, which the job's audit line counts instead (see audit-events.ts).
 */
export async function reportFileDone(
  context: JobContext,
  job: string,
  file: { readonly path: string; readonly size: number },
  action: FileAction,
  audited: { readonly hash: string; readonly chunksWritten?: number; readonly chunksReused?: number },
): Promise<void> {
  if (action === 'unchanged') {
    reportFileUnchanged(context, job, file.path);
    return;
  }
  context.onProgress({ type: 'file-done', job, path: file.path, action });
  await context.audit({
    type: 'file',
    job,
    path: file.path,
    size: file.size,
    hash: audited.hash,
    action,
    chunksWritten: audited.chunksWritten ?? 0,
    chunksReused: audited.chunksReused ?? 0,
  });
}

/** `reportFileDone` of a file left as it was, without a wait: its progress event, no audit line. */
export function reportFileUnchanged(context: JobContext, job: string, path: string): void {
  context.onProgress({ type: 'file-done', job, path, action: 'unchanged' });
}
