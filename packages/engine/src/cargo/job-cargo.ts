import { join } from 'node:path';
import { formatCompression } from '../compression/compression-setting.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { CARGO_FORMAT_VERSION, type CargoRecord, type FlightPlan } from './cargo-schema.ts';
import { listCargoPaths, readCargoRecord, removeCargoRecord, writeFlightPlanFile } from './cargo-store.ts';
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
 * is complete) and writes the flight plan with totals from the records that remain. `known` holds
 * records the run just read or wrote, so a sync does not read every record a second time.
 */
export async function finishJobCargo(
  job: ResolvedJob,
  manifestDir: string,
  seen: ReadonlySet<string> | undefined,
  known: ReadonlyMap<string, CargoRecord> = new Map(),
): Promise<FlightPlan> {
  const records: CargoRecord[] = [];
  for (const path of await listCargoPaths(manifestDir)) {
    if (seen && !seen.has(path)) {
      await removeCargoRecord(manifestDir, path);
      continue;
    }
    const record = known.get(path) ?? (await readCargoRecord(manifestDir, path));
    if (record) records.push(record);
  }
  const plan = flightPlanOf(job, records);
  await writeFlightPlanFile(manifestDir, plan);
  return plan;
}
