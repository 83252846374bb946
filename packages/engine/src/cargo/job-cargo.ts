import { join } from 'node:path';
import { formatCompression } from '../compression/compression-setting.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import type { JobCargoIndex } from './cargo-index.ts';
import { CARGO_FORMAT_VERSION, type CargoRecord, type FlightPlan } from './cargo-schema.ts';
import { writeFlightPlanFile } from './cargo-store.ts';
import { ENGINE_VERSION } from './engine-version.ts';

/** Where a run keeps a job's cargo manifests, so `orbit manifest verify --manifest-dir` works after it. */
export function jobManifestDir(stateDir: string, jobName: string): string {
  return join(stateDir, 'manifests', jobName);
}

export function flightPlanOf(
  job: ResolvedJob,
  records: readonly CargoRecord[],
  created = new Date(),
): FlightPlan {
  const files = records.filter((record) => record.kind === 'file');
  return {
    version: CARGO_FORMAT_VERSION,
    job: job.name,
    source: job.source,
    destination: job.destination,
    mode: job.mode,
    options: {
      include: [...job.include],
      exclude: [...job.exclude],
      delete: job.delete,
      compression: formatCompression(job.compression),
    },
    created: created.toISOString(),
    engineVersion: ENGINE_VERSION,
    algorithm: job.checksum,
    chunking: { ...job.chunking },
    totals: {
      files: files.length,
      bytes: files.reduce((sum, record) => sum + record.size, 0),
      chunks: files.reduce((sum, record) => sum + record.chunks.length, 0),
    },
  };
}

/**
 * Ends a run's cargo for one job: drops records of paths the source no longer has (when `seen`
 * is complete), writes the job's `cargo.jsonl` and the flight plan with totals from what remains.
 */
export async function finishJobCargo(
  job: ResolvedJob,
  index: JobCargoIndex,
  seen: ReadonlySet<string> | undefined,
): Promise<FlightPlan> {
  const records = await index.finish(seen);
  const plan = flightPlanOf(job, records);
  await writeFlightPlanFile(index.manifestDir, plan);
  return plan;
}
