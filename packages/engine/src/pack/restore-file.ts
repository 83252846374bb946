import { chmod, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OrbitError } from '../errors.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import type { ProgressEvent } from '../runner/job-executor.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { createTempFile, partialPathFor } from '../transfer/atomic-file.ts';
import { writeSliced } from '../transfer/positional-writer.ts';
import { removeQuietly, renameSmallTemp, writeSmallTemp } from '../transfer/small-file-sync.ts';
import type { SyncBatch } from '../transfer/sync-batch.ts';
import { type ChunkIndex, PACKS_DIR } from './chunk-index.ts';
import { PackReader } from './pack-reader.ts';
import type { Snapshot, SnapshotEntry } from './snapshot.ts';

type FileEntry = Extract<SnapshotEntry, { kind: 'file' }>;

/** Files up to this size are rebuilt in memory and verified before their temp file exists. */
export const RESTORE_IN_MEMORY_BYTES = 1024 * 1024;

export interface RestoreFileContext {
  readonly archiveDir: string;
  readonly target: string;
  readonly snapshot: Snapshot;
  readonly index: ChunkIndex;
  readonly readers: PackReaders;
  readonly syncBatch: SyncBatch;
  readonly options: {
    readonly signal?: AbortSignal;
    readonly onProgress?: (event: ProgressEvent) => void;
  };
}

/**
 * Rebuilds one file from its chunks beside its place, checks its size and whole-file hash, makes it
 * durable (with the other files in flight) and renames it into place; a failure leaves nothing. A
 * small file under Deno is put together in memory and written through Deno's synchronous calls,
 * as the copy path writes small files: each node:fs call there is a thread hand-off, and a tree of
 * small files was mostly those.
 */
export async function restoreFile(entry: FileEntry, context: RestoreFileContext): Promise<void> {
  const deno = denoRuntime();
  if (deno !== undefined && entry.size <= RESTORE_IN_MEMORY_BYTES) {
    const whole = new Uint8Array(entry.size);
    let position = 0;
    for await (const data of chunksOf(entry, context)) {
      if (position + data.length > whole.length)
        throw rebuiltWrong(entry, context, position + data.length, '');
      whole.set(data, position);
      position += data.length;
    }
    const hash = getHashAlgorithm(context.snapshot.hash_algorithm).hash(whole);
    if (position !== entry.size || hash !== entry.hash) throw rebuiltWrong(entry, context, position, hash);
    const destination = join(context.target, entry.path);
    const temp = partialPathFor(destination);
    const file = writeSmallTemp(deno, temp, whole, { mtimeMs: entry.mtime_ms, mode: entry.mode });
    try {
      await context.syncBatch.sync(file, dirname(temp));
    } catch (error) {
      file.close();
      removeQuietly(deno, temp);
      throw error;
    }
    file.close();
    renameSmallTemp(deno, temp, destination);
    return;
  }
  await restoreStreamed(entry, context);
}

async function restoreStreamed(entry: FileEntry, context: RestoreFileContext): Promise<void> {
  const destination = join(context.target, entry.path);
  const temp = partialPathFor(destination);
  const hasher = getHashAlgorithm(context.snapshot.hash_algorithm).create();
  const handle = await createTempFile(temp, 0o600);
  let position = 0;
  try {
    for await (const data of chunksOf(entry, context)) {
      await writeSliced(handle, data, position);
      hasher.update(data);
      position += data.length;
    }
    const hash = hasher.digest();
    if (position !== entry.size || hash !== entry.hash) throw rebuiltWrong(entry, context, position, hash);
    await context.syncBatch.sync({ syncData: () => handle.datasync() }, dirname(temp));
    await handle.close();
    await chmod(temp, entry.mode);
    await utimes(temp, entry.mtime_ms / 1000, entry.mtime_ms / 1000);
    await rename(temp, destination);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/** The file's chunks in order, each checked by its container reader, with progress as they come. */
async function* chunksOf(entry: FileEntry, context: RestoreFileContext): AsyncGenerator<Uint8Array> {
  const { archiveDir, snapshot, index, readers, options } = context;
  for (const hash of entry.chunks) {
    options.signal?.throwIfAborted();
    const location = index.get(hash);
    if (location === undefined) {
      throw new OrbitError('CORRUPT', `chunk ${hash} of "${entry.path}" is in no container`, {
        path: join(archiveDir, PACKS_DIR),
        hint: 'a container is missing; put it back from another copy of the archive',
      });
    }
    const reader = await readers.get(location.pack);
    const data = await reader.readChunk(location).catch((error: unknown) => {
      if (!(error instanceof OrbitError)) throw error;
      throw new OrbitError('CORRUPT', `cannot restore "${entry.path}": ${error.message}`, {
        ...error.location,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        cause: error,
      });
    });
    options.onProgress?.({
      type: 'bytes',
      job: snapshot.job,
      path: entry.path,
      read: data.length,
      written: data.length,
    });
    yield data;
  }
}

function rebuiltWrong(entry: FileEntry, context: RestoreFileContext, size: number, hash: string): OrbitError {
  return new OrbitError(
    'CHECKSUM_MISMATCH',
    `"${entry.path}" rebuilt to ${size} bytes hashing ${hash || '(not hashed)'}, not ${entry.size} bytes hashing ${entry.hash}`,
    {
      path: join(context.target, entry.path),
      hint: 'the snapshot and its containers disagree; the archive is damaged',
    },
  );
}

/** Open containers, each opened once however many files read from it at the same time. */
export class PackReaders {
  readonly #folder: string;
  readonly #open = new Map<string, Promise<PackReader>>();

  constructor(folder: string) {
    this.#folder = folder;
  }

  get(pack: string): Promise<PackReader> {
    let reader = this.#open.get(pack);
    if (reader === undefined) {
      reader = PackReader.open(join(this.#folder, pack));
      this.#open.set(pack, reader);
    }
    return reader;
  }

  async close(): Promise<void> {
    for (const reader of this.#open.values()) {
      await reader.then(
        (open) => open.close(),
        () => undefined,
      );
    }
  }
}
