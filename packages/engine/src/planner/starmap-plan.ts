import { type ChunkingOptions, DEFAULT_CHUNKING } from '../chunking/chunking-options.ts';
import { DEFAULT_COMPRESSION, formatCompression } from '../compression/compression-setting.ts';
import { OrbitError } from '../errors.ts';
import { DEFAULT_CHECKSUM } from '../hashing/checksum-algorithm.ts';
import type { JobLocations, Location, Manifest, ManifestDefaults } from '../manifest/manifest-types.ts';
import { DEFAULT_PACK_SIZE } from '../manifest/parse-manifest.ts';
import type { JobMode, ResolvedJob } from '../runner/job-executor.ts';
import { formatBytes } from './human-format.ts';
import { assertPlannable, type OrderNode, parallelGroups, topologicalOrder } from './plan-order.ts';

export interface JobSize {
  readonly files: number;
  readonly bytes: number;
}

/** One option of a job whose value differs from `[defaults]`, ready to print. */
export interface ChangedOption {
  readonly key:
    | 'compression'
    | 'checksum'
    | 'resume'
    | 'chunking'
    | 'pack_size'
    | 'include'
    | 'exclude'
    | 'delete'
    | 'schedule';
  readonly value: string;
}

export interface PlannedJob {
  /** 1-based place in the topological order. */
  readonly position: number;
  readonly name: string;
  readonly mode: JobMode;
  readonly source: Location;
  readonly destination: Location;
  readonly dependsOn: readonly string[];
  /** 1-based parallel group the job runs in. */
  readonly group: number;
  readonly changed: readonly ChangedOption[];
  readonly schedule: string | undefined;
  readonly job: ResolvedJob;
  readonly size: JobSize | undefined;
}

export interface PlanEstimate {
  readonly files: number;
  readonly bytes: number;
  /** Jobs the caller gave no size for; their bytes are not in the totals. */
  readonly unsizedJobs: readonly string[];
  /** Only when the caller passed a measured throughput. */
  readonly throughputBytesPerSec: number | undefined;
  readonly seconds: number | undefined;
}

export interface StarmapPlan {
  readonly concurrency: number;
  /** Jobs in topological order. */
  readonly jobs: readonly PlannedJob[];
  readonly order: readonly string[];
  /** Jobs with no dependencies, in manifest order. */
  readonly ready: readonly string[];
  readonly groups: readonly (readonly string[])[];
  /** Dependency → dependent. */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** Only when sizes were given. */
  readonly estimate: PlanEstimate | undefined;
}

export interface PlanOptions {
  /** Per job name: what a scan found. */
  readonly sizes?: ReadonlyMap<string, JobSize>;
  /** A throughput measured on this system; without it no duration is shown. */
  readonly throughputBytesPerSec?: number;
}

export type PlanInput = Manifest | { readonly jobs: readonly ResolvedJob[]; readonly concurrency: number };

type ComparableDefaults = Pick<
  ManifestDefaults,
  'checksum' | 'compression' | 'resume' | 'chunking' | 'packSize'
>;

const ENGINE_DEFAULTS: ComparableDefaults = {
  checksum: DEFAULT_CHECKSUM,
  compression: DEFAULT_COMPRESSION,
  resume: true,
  chunking: DEFAULT_CHUNKING,
  packSize: DEFAULT_PACK_SIZE,
};

/** Orders a validated manifest's jobs into a plan. Pure: same input, same plan. */
export function planStarmap(input: PlanInput, options: PlanOptions = {}): StarmapPlan {
  const isManifest = 'defaults' in input;
  const concurrency = isManifest ? input.defaults.concurrency : input.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OrbitError('INVALID_ARGUMENT', `concurrency must be a whole number ≥ 1, got ${concurrency}`, {
      hint: 'set concurrency in [defaults], e.g. concurrency = 4',
    });
  }
  const throughput = options.throughputBytesPerSec;
  if (throughput !== undefined && !(Number.isFinite(throughput) && throughput > 0)) {
    throw new OrbitError(
      'INVALID_ARGUMENT',
      `throughput must be a positive number of bytes per second, got ${throughput}`,
    );
  }
  const defaults: ComparableDefaults = isManifest ? input.defaults : ENGINE_DEFAULTS;
  const locationsOf = (job: ResolvedJob): JobLocations =>
    (isManifest ? input.locations[job.name] : undefined) ?? {
      source: { kind: 'local', path: job.source },
      destination: { kind: 'local', path: job.destination },
    };
  const nodes = input.jobs.map((job): OrderNode & { readonly job: ResolvedJob } => ({
    name: job.name,
    dependsOn: job.dependsOn,
    locations: locationsOf(job),
    job,
  }));
  assertPlannable(nodes);

  const ordered = topologicalOrder(nodes);
  const groups = parallelGroups(nodes, concurrency);
  const groupOf = new Map(groups.flatMap((group, index) => group.map((name) => [name, index + 1] as const)));
  const jobs = ordered.map(({ name, job, locations }, index): PlannedJob => {
    const schedule = isManifest ? input.schedules[name] : undefined;
    return {
      position: index + 1,
      name,
      mode: job.mode,
      source: locations.source,
      destination: locations.destination,
      dependsOn: job.dependsOn,
      group: groupOf.get(name) ?? groups.length,
      changed: changedOptions(job, defaults, schedule),
      schedule,
      job,
      size: options.sizes?.get(name),
    };
  });
  const order = jobs.map((job) => job.name);
  const edges = jobs.flatMap((job) => job.dependsOn.map((from) => ({ from, to: job.name })));
  const ready = input.jobs.filter((job) => job.dependsOn.length === 0).map((job) => job.name);
  return { concurrency, jobs, order, ready, groups, edges, estimate: estimateOf(jobs, options) };
}

function estimateOf(jobs: readonly PlannedJob[], options: PlanOptions): PlanEstimate | undefined {
  if (options.sizes === undefined) return undefined;
  let files = 0;
  let bytes = 0;
  const unsizedJobs: string[] = [];
  for (const job of jobs) {
    if (job.size === undefined) unsizedJobs.push(job.name);
    else {
      files += job.size.files;
      bytes += job.size.bytes;
    }
  }
  const throughput = options.throughputBytesPerSec;
  return {
    files,
    bytes,
    unsizedJobs,
    throughputBytesPerSec: throughput,
    seconds: throughput === undefined ? undefined : bytes / throughput,
  };
}

function changedOptions(
  job: ResolvedJob,
  defaults: ComparableDefaults,
  schedule: string | undefined,
): ChangedOption[] {
  const changed: ChangedOption[] = [];
  const compression = formatCompression(job.compression);
  if (compression !== formatCompression(defaults.compression))
    changed.push({ key: 'compression', value: compression });
  if (job.checksum !== defaults.checksum) changed.push({ key: 'checksum', value: job.checksum });
  if (job.resume !== defaults.resume) changed.push({ key: 'resume', value: job.resume ? 'on' : 'off' });
  if (!sameChunking(job.chunking, defaults.chunking)) {
    const { minSize, avgSize, maxSize } = job.chunking;
    changed.push({ key: 'chunking', value: [minSize, avgSize, maxSize].map(formatBytes).join('/') });
  }
  if (job.mode === 'archive' && job.packSize !== defaults.packSize) {
    changed.push({ key: 'pack_size', value: formatBytes(job.packSize) });
  }
  if (job.include.length > 0) changed.push({ key: 'include', value: job.include.join(' ') });
  if (job.exclude.length > 0) changed.push({ key: 'exclude', value: job.exclude.join(' ') });
  if (job.delete) changed.push({ key: 'delete', value: 'on' });
  if (schedule !== undefined) changed.push({ key: 'schedule', value: `"${schedule}"` });
  return changed;
}

function sameChunking(a: ChunkingOptions, b: ChunkingOptions): boolean {
  return a.minSize === b.minSize && a.avgSize === b.avgSize && a.maxSize === b.maxSize;
}
