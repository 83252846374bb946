import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { CompressionSetting } from '../compression/compression-setting.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import type { PlanVisualisation } from './manifest-schema.ts';
import type { SourceMap } from './source-locator.ts';

/** Where a job reads or writes: this machine, or a named Star of the grid. Paths are absolute. */
export type Location =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'star'; readonly star: string; readonly path: string };

export interface JobLocations {
  readonly source: Location;
  readonly destination: Location;
}

/** `[defaults]` with every value filled in and paths absolute. */
export interface ManifestDefaults {
  readonly checksum: ChecksumAlgorithm;
  readonly compression: CompressionSetting;
  readonly resume: boolean;
  /** How many jobs may run at once. */
  readonly concurrency: number;
  /** Absolute path of the audit log, or null when `audit_log = false`. */
  readonly auditLog: string | null;
  /** Name of the environment variable that holds the audit HMAC key. */
  readonly auditKeyEnv: string;
  readonly planVisualisation: PlanVisualisation;
  readonly chunking: ChunkingOptions;
  readonly packSize: number;
}

export interface Manifest {
  /** The manifest file as given to the parser. */
  readonly file: string;
  /** Absolute folder that relative local paths were resolved against. */
  readonly baseDir: string;
  readonly defaults: ManifestDefaults;
  /** In file order. `source`/`destination` hold the location's path (see `locations` for the Star). */
  readonly jobs: readonly ResolvedJob[];
  /** Per job name: where it reads and writes. */
  readonly locations: Readonly<Record<string, JobLocations>>;
  /** Per job name, only for jobs that set `schedule`: the 5-field cron expression. */
  readonly schedules: Readonly<Record<string, string>>;
  /** Key path (e.g. `job[1].depends_on[0]`, 0-based) → line and column in the file. */
  readonly sourceMap: SourceMap;
}

export function formatLocation(location: Location): string {
  return location.kind === 'local' ? location.path : `${location.star}:${location.path}`;
}

/** Paths on different machines can never overlap; this names the machine a location is on. */
export function machineOf(location: Location): string {
  return location.kind === 'local' ? '' : `star:${location.star}`;
}
