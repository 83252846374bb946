import { dirname } from 'node:path';
import type { DenoRuntime, DenoSyncFile } from '../runtime/deno-runtime.ts';
import { toFsError } from '../scan/fs-error.ts';
import { folderAtTempName, fsyncDirectory, isErrno, partialPathFor } from './atomic-file.ts';
import type { ChunkRef } from './chunk-pass.ts';
import {
  SourceChangedError,
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
  const { data, hash, reused } = readSource(request, deno);
  const chunks: ChunkRef[] = data.length > 0 ? [{ offset: 0, length: data.length, hash }] : [];
  await writeTemp(request, deno, data);
  for (const chunk of chunks) await request.onChunk?.(chunk, reused ? 'reused' : 'written');
  return {
    hash,
    chunks,
    bytesRead: data.length,
    bytesWritten: reused ? 0 : data.length,
    chunksWritten: reused ? 0 : chunks.length,
    chunksReused: reused ? chunks.length : 0,
    resumedBytes: 0,
  };
}

/** Reads and hashes the whole source, then checks it did not change meanwhile (as the chunk pass does). */
function readSource(
  request: SyncFileRequest,
  deno: DenoRuntime,
): { data: Uint8Array; hash: string; reused: boolean } {
  const { algorithm, entry } = request;
  let source: DenoSyncFile;
  try {
    source = deno.openSync(request.source, { read: true });
  } catch (error) {
    throw toFsError(error, request.source, 'open the source file');
  }
  try {
    // Reading stops at the scanned size; a file that grew or shrank meanwhile shows in the fstat below.
    const buffer = new Uint8Array(entry.size);
    let filled = 0;
    try {
      while (filled < buffer.length) {
        const read = source.readSync(buffer.subarray(filled));
        if (read === null || read === 0) break;
        filled += read;
      }
    } catch (error) {
      throw toFsError(error, request.source, 'read the source file');
    }
    const data = buffer.subarray(0, filled);
    const hash = algorithm.hexLength > 0 ? algorithm.hash(data) : '';
    const reused = filled > 0 && algorithm.hexLength > 0 && hasChunk(request, hash);
    request.signal?.throwIfAborted();
    request.onProgress?.(filled, reused ? 0 : filled);
    const after = source.statSync();
    if (
      filled !== entry.size ||
      after.size !== entry.size ||
      !sameMtime(after.mtime?.getTime() ?? 0, entry.mtimeMs)
    ) {
      throw new SourceChangedError(request.source);
    }
    return { data, hash, reused };
  } finally {
    source.close();
  }
}

function hasChunk(request: SyncFileRequest, hash: string): boolean {
  return request.existing?.chunks.some((chunk) => chunk.hash === hash) ?? false;
}

async function writeTemp(request: SyncFileRequest, deno: DenoRuntime, data: Uint8Array): Promise<void> {
  const temp = partialPathFor(request.target);
  const fail = writeError(temp, 'write the temp file');
  const file = openTemp(deno, temp);
  try {
    let done = 0;
    while (done < data.length) done += file.writeSync(data.subarray(done));
    file.utimeSync(Date.now() / 1000, utimesSeconds(request.entry.mtimeMs));
    // The mode is set by path: the create mode above is narrowed by the umask.
    deno.chmodSync(temp, request.entry.mode & 0o7777);
    await (request.syncBatch ? request.syncBatch.sync(file, dirname(temp)) : file.syncData());
  } catch (error) {
    file.close();
    await removeQuietly(deno, temp);
    fail(error);
  }
  file.close();
  try {
    deno.renameSync(temp, request.target);
  } catch (error) {
    await removeQuietly(deno, temp);
    writeError(request.target, 'move the finished file into place')(error);
  }
  if (request.deferDirectorySync) request.deferDirectorySync(dirname(request.target));
  else await fsyncDirectory(dirname(request.target));
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

async function removeQuietly(deno: DenoRuntime, path: string): Promise<void> {
  try {
    deno.removeSync(path);
  } catch {
    // Already gone, or the folder turned read-only: the partial name stays hidden from scans.
  }
}
