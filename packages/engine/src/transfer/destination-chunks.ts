import { open } from 'node:fs/promises';
import type { JobCargoIndex } from '../cargo/cargo-index.ts';
import type { CargoRecord } from '../cargo/cargo-schema.ts';
import { readFlightPlan } from '../cargo/cargo-store.ts';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import type { PathStat } from '../scan/path-stat.ts';
import type { ScanEntry } from '../scan/scan-tree.ts';
import { type ChunkRef, chunkPass } from './chunk-pass.ts';
import { type ExistingFile, sameMtime } from './file-sync.ts';

export interface DestinationChunksInput {
  readonly entry: ScanEntry;
  readonly target: string;
  /** The target's lstat; anything but a file has no chunks to offer. */
  readonly stats: PathStat | undefined;
  readonly cargo: JobCargoIndex | undefined;
  /** The parameters the cached records were cut with (the job's last flight plan), when known. */
  readonly cachedChunking: ChunkingOptions | undefined;
  readonly checksum: ChecksumAlgorithm;
  readonly algorithm: HashAlgorithm;
  readonly chunking: ChunkingOptions;
  readonly signal: AbortSignal;
  readonly onRead: (bytes: number) => void;
}

/** Whether a cargo record still describes the destination file `stats` shows, hashed with `checksum`. */
export function recordStillMatches(
  cached: CargoRecord | undefined,
  stats: PathStat,
  checksum: ChecksumAlgorithm,
): cached is CargoRecord {
  return (
    cached?.kind === 'file' &&
    cached.size === stats.size &&
    sameMtime(cached.mtimeMs, stats.mtimeMs) &&
    cached.algorithm === checksum
  );
}

/** The destination's chunk list: from its cargo record when size and mtime still match, else cut now. */
export async function destinationChunks(input: DestinationChunksInput): Promise<ExistingFile | undefined> {
  const { stats } = input;
  if (stats?.kind !== 'file') return undefined;
  const cached = input.cargo?.get(input.entry.path);
  if (recordStillMatches(cached, stats, input.checksum)) {
    return {
      size: stats.size,
      chunks: cached.chunks,
      hash: cached.hash,
      ...(input.cachedChunking ? { chunking: input.cachedChunking } : {}),
    };
  }
  const handle = await open(input.target, 'r');
  const wholeHash = input.algorithm.create();
  try {
    const chunks = await chunkPass(handle, {
      chunking: input.chunking,
      algorithm: input.algorithm,
      wholeHash,
      signal: input.signal,
      onRead: input.onRead,
    });
    return { size: stats.size, chunks, hash: wholeHash.digest(), chunking: input.chunking };
  } finally {
    await handle.close();
  }
}

/** The cargo record of a scanned entry as the job left it at the destination. */
export function cargoRecordOf(
  entry: ScanEntry,
  checksum: ChecksumAlgorithm,
  hash: string,
  chunks: readonly ChunkRef[],
): CargoRecord {
  return {
    version: 1,
    path: entry.path,
    kind: entry.kind === 'file' ? 'file' : entry.kind === 'dir' ? 'dir' : 'symlink',
    size: entry.size,
    mtimeMs: entry.mtimeMs,
    mode: entry.mode,
    hash,
    algorithm: checksum,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
    chunks: [...chunks],
  };
}

/**
 * The chunking parameters of the job's last run, from its flight plan: the cargo records were cut
 * with them. Unknown (no plan yet, or a damaged one the end of this run rewrites) only means that
 * cached chunk lists cannot guide the pass.
 */
export async function previousChunking(cargoDir: string): Promise<ChunkingOptions | undefined> {
  try {
    return (await readFlightPlan(cargoDir)).chunking;
  } catch {
    return undefined;
  }
}
