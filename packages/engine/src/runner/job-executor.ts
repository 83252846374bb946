import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { CompressionSetting } from '../compression/compression-setting.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';

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
  filesScanned: number;
  filesCopied: number;
  filesUpdated: number;
  filesUnchanged: number;
  filesDeleted: number;
  filesSkipped: number;
  /** Bytes read from the source (and from the destination when comparing chunks). */
  bytesRead: number;
  /** New bytes written to the destination (chunks that were not already there). */
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
}

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
