import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { toFsError } from '../scan/fs-error.ts';
import { type ScanEntry, scanTree } from '../scan/scan-tree.ts';
import { isPartialPath } from '../transfer/atomic-file.ts';
import { chunkPass } from '../transfer/chunk-pass.ts';
import { TaskPool } from '../transfer/task-pool.ts';
import { CARGO_FOLDER, CARGO_FORMAT_VERSION, type CargoRecord, type FlightPlan } from './cargo-schema.ts';
import { writeCargoRecord, writeFlightPlanFile } from './cargo-store.ts';
import { flightPlanOf } from './job-cargo.ts';

export interface WriteFlightPlanOptions {
  readonly signal?: AbortSignal;
  /** Each record once written; several files are described at once, so not in scan order. */
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
  await rm(join(outputDir, CARGO_FOLDER), { recursive: true, force: true });
  const records: CargoRecord[] = [];
  // Small files are described many at once (each is a handful of file-system calls, mostly
  // waiting: 20 000 took 21 s one by one); a large one alone, as it has its own read buffers.
  const pool = new TaskPool(PARALLEL_FILES);
  const folders = new Set<string>();
  try {
    for await (const entry of scanTree(job.source, {
      include: job.include,
      exclude: job.exclude,
      ignore: isPartialPath,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      if (entry.kind === 'special') continue;
      const index = records.length;
      const weight = entry.kind === 'file' && entry.size > SMALL_FILE_BYTES ? PARALLEL_FILES : 1;
      // Placeholder until the task fills it in; a failed task fails the whole plan.
      records.push(undefined as unknown as CargoRecord);
      await pool.run(weight, async () => {
        const record = await describeEntry(job, entry, options.signal);
        await writeCargoRecord(outputDir, record, folders);
        records[index] = record;
        options.onFile?.(record);
      });
    }
    await pool.drain();
  } finally {
    await pool.settle();
  }
  const plan = flightPlanOf(job, records);
  await writeFlightPlanFile(outputDir, plan);
  return plan;
}

const PARALLEL_FILES = 16;
const SMALL_FILE_BYTES = 1024 * 1024;

/** One scanned path as a cargo record: a file is chunked and hashed, anything else described. */
async function describeEntry(
  job: ResolvedJob,
  entry: ScanEntry,
  signal: AbortSignal | undefined,
): Promise<CargoRecord> {
  const base = {
    version: CARGO_FORMAT_VERSION,
    path: entry.path,
    size: entry.size,
    mtimeMs: entry.mtimeMs,
    mode: entry.mode,
    algorithm: job.checksum,
  } as const;
  if (entry.kind !== 'file') {
    return {
      ...base,
      kind: entry.kind === 'dir' ? 'dir' : 'symlink',
      hash: '',
      chunks: [],
      ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
    };
  }
  const algorithm = getHashAlgorithm(job.checksum);
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
      // The scan's size: no fstat per file, and a file that grew shows as a size mismatch below.
      end: entry.size + 1,
      ...(signal ? { signal } : {}),
    });
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (size !== entry.size) {
      throw new OrbitError('IO', 'the file changed while its flight plan was written', {
        path: absolute,
        hint: 'run it again once nothing writes to the source',
      });
    }
    return { ...base, kind: 'file', hash: wholeHash.digest(), chunks };
  } finally {
    await handle.close();
  }
}
