import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { toFsError } from '../scan/fs-error.ts';
import { scanTree } from '../scan/scan-tree.ts';
import { isPartialPath } from '../transfer/atomic-file.ts';
import { chunkPass } from '../transfer/chunk-pass.ts';
import { CARGO_FOLDER, CARGO_FORMAT_VERSION, type CargoRecord, type FlightPlan } from './cargo-schema.ts';
import { writeCargoRecord, writeFlightPlanFile } from './cargo-store.ts';
import { flightPlanOf } from './job-cargo.ts';

export interface WriteFlightPlanOptions {
  readonly signal?: AbortSignal;
  readonly onFile?: (record: CargoRecord) => void;
}

/**
 * Scans and chunks the job's source and writes `job.flightplan.json` plus one cargo manifest per
 * path under `outputDir/cargo/`. Old records are cleared first so the folder describes this scan only.
 * An unreadable path stops it: a flight plan with holes would verify as if complete.
 */
export async function writeFlightPlan(
  job: ResolvedJob,
  outputDir: string,
  options: WriteFlightPlanOptions = {},
): Promise<FlightPlan> {
  const algorithm = getHashAlgorithm(job.checksum);
  await rm(join(outputDir, CARGO_FOLDER), { recursive: true, force: true });
  const records: CargoRecord[] = [];
  for await (const entry of scanTree(job.source, {
    include: job.include,
    exclude: job.exclude,
    ignore: isPartialPath,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (entry.kind === 'special') continue;
    const base = {
      version: CARGO_FORMAT_VERSION,
      path: entry.path,
      size: entry.size,
      mtimeMs: entry.mtimeMs,
      mode: entry.mode,
      algorithm: job.checksum,
    } as const;
    let record: CargoRecord;
    if (entry.kind === 'file') {
      const absolute = join(job.source, entry.path);
      const handle = await open(absolute, 'r').catch((error: unknown) => {
        throw toFsError(error, absolute, 'open file for reading');
      });
      const wholeHash = algorithm.create();
      try {
        const chunks = await chunkPass(handle, {
          chunking: job.chunking,
          algorithm,
          wholeHash,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        if (size !== entry.size) {
          throw new OrbitError('IO', 'the file changed while its flight plan was written', {
            path: absolute,
            hint: 'run it again once nothing writes to the source',
          });
        }
        record = { ...base, kind: 'file', hash: wholeHash.digest(), chunks };
      } finally {
        await handle.close();
      }
    } else {
      record = {
        ...base,
        kind: entry.kind,
        hash: '',
        chunks: [],
        ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
      };
    }
    await writeCargoRecord(outputDir, record);
    records.push(record);
    options.onFile?.(record);
  }
  const plan = flightPlanOf(job, records);
  await writeFlightPlanFile(outputDir, plan);
  return plan;
}
