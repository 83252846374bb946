import { dirname } from 'node:path';
import type { HashAlgorithm } from '../hashing/hash-algorithm.ts';
import type { DenoRuntime, DenoSyncFile } from '../runtime/deno-runtime.ts';
import { toFsError } from '../scan/fs-error.ts';
import { folderAtTempName, fsyncDirectory, isErrno, partialPathFor } from './atomic-file.ts';
import type { ChunkRef } from './chunk-pass.ts';
import {
  SourceChangedError,
  type SourceFile,
  type SyncFileOutcome,
  type SyncFileRequest,
  sameMtime,
  utimesSeconds,
  writeError,
} from './file-sync.ts';

/**
 * Whether `syncFile` may take the small-file path: a file FastCDC leaves as one chunk, not resumed
 * from an interrupted run, without holes. Bigger files go through the chunk pass.
 */
export function takesSmallFilePath(request: SyncFileRequest): boolean {
  return (
    request.entry.size <= request.chunking.minSize &&
    !request.entry.sparse &&
    request.journal?.resumePoint(request.path) === undefined
  );
}

/**
 * The same steps and guarantees as `syncFile` (temp beside the target, written from the bytes just
 * hashed, fdatasync, rename) for a file of one chunk, through Deno's synchronous calls: under Deno
 * each node:fs call is a thread hand-off of 40–60 µs, and a tree of small files is mostly such
 * calls. Only the fdatasync leaves the thread, so many files' syncs still overlap.
 */
export async function syncSmallFile(request: SyncFileRequest, deno: DenoRuntime): Promise<SyncFileOutcome> {
  let reused = false;
  const { data, hash } = readSmallSource(
    deno,
    request.source,
    request.entry,
    request.algorithm,
    (read, sum) => {
      reused = hasChunk(request, read, sum);
      request.signal?.throwIfAborted();
      request.onProgress?.(read, reused ? 0 : read);
    },
  );
  await writeTemp(request, deno, data);
  return finishSmallFile(request, data.length, hash, reused);
}

/**
 * The last steps of a small file's copy once its temp file is renamed into place, wherever it was
 * copied: its folder synced (or left to the job), its one chunk audited, and what it reports.
 */
export async function finishSmallFile(
  request: SyncFileRequest,
  length: number,
  hash: string,
  reused: boolean,
): Promise<SyncFileOutcome> {
  if (request.deferDirectorySync) request.deferDirectorySync(dirname(request.target));
  else await fsyncDirectory(dirname(request.target));
  const chunks: ChunkRef[] = length > 0 ? [{ offset: 0, length, hash }] : [];
  for (const chunk of chunks) await request.onChunk?.(chunk, reused ? 'reused' : 'written');
  return {
    hash,
    chunks,
    bytesRead: length,
    bytesWritten: reused ? 0 : length,
    chunksWritten: reused ? 0 : chunks.length,
    chunksReused: reused ? chunks.length : 0,
    resumedBytes: 0,
  };
}

/** Whether the destination's old file already held these bytes (they are written anyway, not counted). */
export function hasChunk(request: SyncFileRequest, length: number, hash: string): boolean {
  if (length === 0 || request.algorithm.hexLength === 0) return false;
  return request.existing?.chunks.some((chunk) => chunk.hash === hash) ?? false;
}

/**
 * Reads and hashes the whole source, then checks it did not change meanwhile (as the chunk pass
 * does). `beforeCheck` runs between the read and that check, with the bytes read and their hash.
 * `into`, when big enough, is read into and the data returned is a view of it.
 */
export function readSmallSource(
  deno: DenoRuntime,
  path: string,
  entry: SourceFile,
  algorithm: HashAlgorithm,
  beforeCheck?: (read: number, hash: string) => void,
  into?: Uint8Array,
): { data: Uint8Array; hash: string } {
  let source: DenoSyncFile;
  try {
    source = deno.openSync(path, { read: true });
  } catch (error) {
    throw toFsError(error, path, 'open the source file');
  }
  try {
    // Reading stops at the scanned size; a file that grew or shrank meanwhile shows in the fstat below.
    const buffer =
      into && into.length >= entry.size ? into.subarray(0, entry.size) : new Uint8Array(entry.size);
    let filled = 0;
    try {
      while (filled < buffer.length) {
        const read = source.readSync(buffer.subarray(filled));
        if (read === null || read === 0) break;
        filled += read;
      }
    } catch (error) {
      throw toFsError(error, path, 'read the source file');
    }
    const data = buffer.subarray(0, filled);
    const hash = algorithm.hexLength > 0 ? algorithm.hash(data) : '';
    beforeCheck?.(filled, hash);
    const after = source.statSync();
    if (
      filled !== entry.size ||
      after.size !== entry.size ||
      !sameMtime(after.mtime?.getTime() ?? 0, entry.mtimeMs)
    ) {
      throw new SourceChangedError(path);
    }
    return { data, hash };
  } finally {
    source.close();
  }
}

async function writeTemp(request: SyncFileRequest, deno: DenoRuntime, data: Uint8Array): Promise<void> {
  const temp = partialPathFor(request.target);
  const file = writeSmallTemp(deno, temp, data, request.entry);
  try {
    await (request.syncBatch ? request.syncBatch.sync(file, dirname(temp)) : file.syncData());
  } catch (error) {
    file.close();
    removeQuietly(deno, temp);
    writeError(temp, 'write the temp file')(error);
  }
  file.close();
  renameSmallTemp(deno, temp, request.target);
}

/**
 * Creates the temp file `temp` and writes `data` with the source's mtime and mode; returns it open,
 * for the caller to make durable and close. On failure nothing is left at `temp`.
 */
export function writeSmallTemp(
  deno: DenoRuntime,
  temp: string,
  data: Uint8Array,
  entry: Pick<SourceFile, 'mtimeMs' | 'mode'>,
): DenoSyncFile {
  const file = openTemp(deno, temp);
  try {
    let done = 0;
    while (done < data.length) done += file.writeSync(data.subarray(done));
    file.utimeSync(Date.now() / 1000, utimesSeconds(entry.mtimeMs));
    // The mode is set by path: the create mode above is narrowed by the umask.
    deno.chmodSync(temp, entry.mode & 0o7777);
    return file;
  } catch (error) {
    file.close();
    removeQuietly(deno, temp);
    return writeError(temp, 'write the temp file')(error);
  }
}

/** Moves a durable temp file over its target; on failure the temp file is removed. */
export function renameSmallTemp(deno: DenoRuntime, temp: string, target: string): void {
  try {
    deno.renameSync(temp, target);
  } catch (error) {
    removeQuietly(deno, temp);
    writeError(target, 'move the finished file into place')(error);
  }
}

/** As `createTempFile`: always a new file, a leftover at the name (a symlink too) removed unfollowed. */
function openTemp(deno: DenoRuntime, temp: string): DenoSyncFile {
  const create = (): DenoSyncFile => deno.openSync(temp, { write: true, createNew: true, mode: 0o600 });
  try {
    try {
      return create();
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
    }
    if (deno.lstatSync(temp).isDirectory) throw folderAtTempName(temp);
    deno.removeSync(temp);
    return create();
  } catch (error) {
    return writeError(temp, 'create the temp file')(error);
  }
}

/** Removes a temp file after a failure. */
export function removeQuietly(deno: DenoRuntime, path: string): void {
  try {
    deno.removeSync(path);
  } catch {
    // Already gone, or the folder turned read-only: the partial name stays hidden from scans.
  }
}
