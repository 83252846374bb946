import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { type ChunkRef, chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { sameMtime } from '@orbit/engine/transfer/file-sync';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import type { PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import type { FileBegin } from './wire-messages.ts';

/** A source file cut into chunks, held open so the bytes sent are the bytes hashed. */
export interface OutgoingFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  readonly mode: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly chunks: readonly ChunkRef[];
  readonly bytesRead: number;
}

/** Opens `sourceRoot/relative` through the jail for reading and chunks it with FastCDC. */
export async function prepareOutgoing(
  jail: PathJail,
  sourceRoot: string,
  relative: string,
  chunking: ChunkingOptions,
  algorithm: HashAlgorithm,
  signal: AbortSignal | undefined,
): Promise<OutgoingFile> {
  if (relative === '' || relative.startsWith('/') || relative.includes('\0')) {
    throw new DataPlaneError(
      'path-denied',
      `path ${JSON.stringify(relative)} must be relative to the source root`,
      {
        path: relative,
      },
    );
  }
  let handle: FileHandle;
  try {
    ({ handle } = await jail.open(`${sourceRoot.replace(/\/+$/, '')}/${relative}`, 'r'));
  } catch (error) {
    if (!isPathDeniedError(error)) throw error;
    throw new DataPlaneError('path-denied', error.message, {
      path: relative,
      hint: error.hint,
      cause: error,
    });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new DataPlaneError('io', `${relative} is not a regular file`, { path: relative });
    }
    const whole = algorithm.create();
    let bytesRead = 0;
    const chunks = await chunkPass(handle, {
      chunking,
      algorithm,
      end: stat.size,
      wholeHash: whole,
      signal,
      onRead: (bytes) => {
        bytesRead += bytes;
      },
    });
    if (bytesRead !== stat.size) throw sourceChanged(relative);
    return {
      path: relative,
      handle,
      size: stat.size,
      mode: stat.mode & 0o7777,
      mtimeMs: stat.mtimeMs,
      hash: whole.digest(),
      chunks,
      bytesRead,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** True while the file still has the size and mtime it was chunked with. */
export async function unchangedSince(file: OutgoingFile): Promise<boolean> {
  const stat = await file.handle.stat();
  return stat.size === file.size && sameMtime(stat.mtimeMs, file.mtimeMs);
}

export function fileBeginOf(file: OutgoingFile, algorithm: HashAlgorithm): FileBegin {
  return {
    path: file.path,
    size: file.size,
    mode: file.mode,
    mtimeMs: file.mtimeMs,
    hash: file.hash,
    algorithm: algorithm.name,
    chunks: file.chunks.map((chunk) => [chunk.offset, chunk.length, chunk.hash]),
  };
}

export function sourceChanged(path: string): DataPlaneError {
  return new DataPlaneError('source-changed', `${path} changed while it was being sent`, {
    path,
    hint: 'stop whatever writes to it during the transfer, or push it again later',
  });
}
