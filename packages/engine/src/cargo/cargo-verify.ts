import type { Stats } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { scanTree } from '../scan/scan-tree.ts';
import { isErrno, isPartialPath } from '../transfer/atomic-file.ts';
import { TaskPool } from '../transfer/task-pool.ts';
import { readAllCargoRecords } from './cargo-index.ts';
import type { CargoRecord } from './cargo-schema.ts';
import { readFlightPlan } from './cargo-store.ts';
import { checkContent, ReadBuffers } from './content-check.ts';

export interface BadChunk {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly expected: string;
  /** Empty when the file ended before the chunk did. */
  readonly actual: string;
}

export type CargoCheck =
  | { readonly path: string; readonly status: 'ok' | 'missing' }
  | {
      readonly path: string;
      readonly status: 'kind-mismatch' | 'size-mismatch' | 'hash-mismatch' | 'link-mismatch';
      readonly expected: string;
      readonly actual: string;
    }
  | { readonly path: string; readonly status: 'chunk-mismatch'; readonly chunk: BadChunk };

export interface CargoVerifyReport {
  readonly manifestDir: string;
  readonly target: string;
  readonly ok: boolean;
  readonly checks: readonly CargoCheck[];
}

/**
 * Checks a tree against cargo manifests: every recorded path exists with the same kind, size,
 * link target and chunk hashes. `target` defaults to the flight plan's destination.
 */
export async function verifyAgainstManifests(
  manifestDir: string,
  options: { target?: string; signal?: AbortSignal } = {},
): Promise<CargoVerifyReport> {
  const plan = await readFlightPlan(manifestDir);
  const target = options.target ?? plan.destination;
  const records = await readAllCargoRecords(manifestDir);
  const checks: CargoCheck[] = new Array(records.length);
  // Small files are checked many at once (each is a few file-system calls, mostly waiting); a
  // large one alone with the shared 2 × 8 MiB buffers, which bounds the memory.
  const pool = new TaskPool(PARALLEL_CHECKS);
  const large = new ReadBuffers();
  const spare: ReadBuffers[] = [];
  try {
    for (const [index, record] of records.entries()) {
      options.signal?.throwIfAborted();
      const absolute = join(target, record.path);
      if (record.size > SMALL_FILE_BYTES) {
        await pool.run(PARALLEL_CHECKS, async () => {
          checks[index] = await checkRecord(record, absolute, large);
        });
        continue;
      }
      await pool.run(1, async () => {
        const buffers = spare.pop() ?? new ReadBuffers();
        try {
          checks[index] = await checkRecord(record, absolute, buffers);
        } finally {
          spare.push(buffers);
        }
      });
    }
    await pool.drain();
  } finally {
    await pool.settle();
  }
  return { manifestDir, target, ok: checks.every((check) => check.status === 'ok'), checks };
}

const PARALLEL_CHECKS = 16;
const SMALL_FILE_BYTES = 1024 * 1024;

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'special';
}

async function checkRecord(record: CargoRecord, absolute: string, buffers: ReadBuffers): Promise<CargoCheck> {
  const { path } = record;
  let stats: Stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return { path, status: 'missing' };
    throw error;
  }
  const kind = kindOf(stats);
  if (kind !== record.kind) return { path, status: 'kind-mismatch', expected: record.kind, actual: kind };
  if (record.kind === 'symlink') {
    const actual = await readlink(absolute);
    const expected = record.linkTarget ?? '';
    return actual === expected ? { path, status: 'ok' } : { path, status: 'link-mismatch', expected, actual };
  }
  if (record.kind === 'dir') return { path, status: 'ok' };
  if (stats.size !== record.size) {
    return { path, status: 'size-mismatch', expected: String(record.size), actual: String(stats.size) };
  }
  return checkFileContent(record, absolute, buffers);
}

async function checkFileContent(
  record: CargoRecord,
  absolute: string,
  buffers: ReadBuffers,
): Promise<CargoCheck> {
  const { path } = record;
  const algorithm = getHashAlgorithm(record.algorithm);
  if (algorithm.hexLength === 0) return { path, status: 'ok' };
  const handle = await open(absolute, 'r');
  let mismatch: Awaited<ReturnType<typeof checkContent>>;
  try {
    mismatch = await checkContent(handle, record, algorithm, buffers);
  } finally {
    await handle.close();
  }
  if (mismatch === undefined) return { path, status: 'ok' };
  if (mismatch.kind === 'whole') {
    return { path, status: 'hash-mismatch', expected: record.hash, actual: mismatch.actual };
  }
  const chunk = record.chunks[mismatch.index] as CargoRecord['chunks'][number];
  return {
    path,
    status: 'chunk-mismatch',
    chunk: { index: mismatch.index, ...chunk, expected: chunk.hash, actual: mismatch.actual },
  };
}

export interface CargoDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/**
 * What `target` has that the manifests do not (added), lacks (removed) or holds differently
 * (changed: another kind, size or link target, or a different hash when only the mtime moved).
 */
export async function diffAgainstManifests(
  manifestDir: string,
  target: string,
  options: { signal?: AbortSignal } = {},
): Promise<CargoDiff> {
  const plan = await readFlightPlan(manifestDir);
  const records = new Map((await readAllCargoRecords(manifestDir)).map((record) => [record.path, record]));
  const added: string[] = [];
  const changed: string[] = [];
  const present = new Set<string>();
  const buffers = new ReadBuffers();
  for await (const entry of scanTree(target, {
    include: plan.options.include,
    exclude: plan.options.exclude,
    ignore: isPartialPath,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (entry.kind === 'special') continue;
    const record = records.get(entry.path);
    if (!record) {
      added.push(entry.path);
      continue;
    }
    present.add(entry.path);
    if (record.kind !== entry.kind) changed.push(entry.path);
    else if (entry.kind === 'symlink' && entry.linkTarget !== record.linkTarget) changed.push(entry.path);
    else if (entry.kind === 'file') {
      if (entry.size !== record.size) changed.push(entry.path);
      else if (Math.abs(entry.mtimeMs - record.mtimeMs) >= 1) {
        const check = await checkFileContent(record, join(target, entry.path), buffers);
        if (check.status !== 'ok') changed.push(entry.path);
      }
    }
  }
  const removed = [...records.keys()].filter((path) => !present.has(path)).sort();
  return { added, removed, changed };
}
