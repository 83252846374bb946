import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { hasHoles } from '@orbit/engine/scan/path-stat';
import { type ChunkRef, chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { sameMtime } from '@orbit/engine/transfer/file-sync';
import { guidedThenPlain, usableGuide } from '@orbit/engine/transfer/guided-chunk-pass';
import type { PushTotals } from '@orbit/engine/transfer/push-totals';
import { isPathDeniedError } from '../security/path-denied-error.ts';
import type { PathJail } from '../security/path-jail.ts';
import { DataPlaneError } from './data-plane-error.ts';
import type { ChunkList, FileAnnounce } from './wire-messages.ts';

/** A source file held open, so the bytes sent are the bytes hashed. */
export interface OutgoingFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  readonly mode: number;
  readonly mtimeMs: number;
  readonly owner: readonly [uid: number, gid: number];
  /** It has holes (the engine's rule): the receiver writes its zero pages as holes. */
  readonly sparse: boolean;
  /** Its chunk list once cut: ahead of time for small files, else while (or before) it is sent. */
  cut: CutFile | undefined;
}

export interface CutFile {
  readonly hash: string;
  readonly chunks: readonly ChunkRef[];
  readonly bytesRead: number;
  /** Bytes of the chunks FastCDC cut; the rest of the file was only hashed, along the receiver's old list. */
  readonly cutBytes: number;
}

/** Files up to this size are cut ahead of time; larger ones are cut while they stream. */
export const CUT_AHEAD_BYTES = 16 * 1024 * 1024;

/** Opens `sourceRoot/relative` through the jail for reading; small files are cut right away. */
export async function prepareOutgoing(
  jail: PathJail,
  sourceRoot: string,
  relative: string,
  how: {
    readonly chunking: ChunkingOptions;
    readonly algorithm: HashAlgorithm;
    readonly signal: AbortSignal | undefined;
    readonly cutAheadBytes: number;
  },
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
    const file: OutgoingFile = {
      path: relative,
      handle,
      size: stat.size,
      mode: stat.mode & 0o7777,
      mtimeMs: stat.mtimeMs,
      owner: [stat.uid, stat.gid],
      sparse: hasHoles(stat.size, stat.blocks),
      cut: undefined,
    };
    if (file.size <= how.cutAheadBytes) {
      file.cut = await cutOutgoing(file, how.chunking, how.algorithm, how.signal);
    }
    return file;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * One pass over the file: FastCDC cuts, a hash per chunk and one for the whole file. With `guide`
 * (the receiver's chunk list of its old copy, cut alike) the pass only hashes where the file still
 * matches it and cuts around the edits (the engine's guided pass), for the same chunks. A file that
 * is shorter than it was is reported as changed.
 */
export async function cutOutgoing(
  file: OutgoingFile,
  chunking: ChunkingOptions,
  algorithm: HashAlgorithm,
  signal: AbortSignal | undefined,
  guide?: readonly ChunkRef[],
): Promise<CutFile> {
  const whole = algorithm.create();
  let bytesRead = 0;
  const options = {
    chunking,
    algorithm,
    end: file.size,
    wholeHash: whole,
    signal,
    onRead: (bytes: number) => {
      bytesRead += bytes;
    },
  };
  const { chunks, bytesCut } = usableGuide(guide)
    ? await guidedThenPlain(file.handle, guide, options)
    : { chunks: await chunkPass(file.handle, options), bytesCut: file.size };
  if (bytesRead !== file.size) throw sourceChanged(file.path);
  return { hash: whole.digest(), chunks, bytesRead, cutBytes: bytesCut };
}

/** Adds what cutting a file cost to a push's counters. */
export function countCut(counters: PushTotals, cut: CutFile): void {
  counters.bytesRead += cut.bytesRead;
  counters.cutBytes += cut.cutBytes;
  counters.guidedBytes += cut.bytesRead - cut.cutBytes;
}

/** True while the file still has the size and mtime it was chunked with. */
export async function unchangedSince(file: OutgoingFile): Promise<boolean> {
  const stat = await file.handle.stat();
  return stat.size === file.size && sameMtime(stat.mtimeMs, file.mtimeMs);
}

/** FILE_BEGIN: with the chunk list when the file is cut already, else only what the receiver checks first. */
export function fileAnnounceOf(file: OutgoingFile, algorithm: HashAlgorithm): FileAnnounce {
  const owner: [number, number] = [file.owner[0], file.owner[1]];
  const meta = {
    path: file.path,
    size: file.size,
    mode: file.mode,
    mtimeMs: file.mtimeMs,
    algorithm: algorithm.name,
    owner,
    ...(file.sparse ? { sparse: true as const } : {}),
  };
  return file.cut ? { ...meta, ...chunkListOf(file.cut) } : meta;
}

export function chunkListOf(cut: CutFile): ChunkList {
  return { hash: cut.hash, chunks: cut.chunks.map((chunk) => [chunk.offset, chunk.length, chunk.hash]) };
}

export function sourceChanged(path: string): DataPlaneError {
  return new DataPlaneError('source-changed', `${path} changed while it was being sent`, {
    path,
    hint: 'stop whatever writes to it during the transfer, or push it again later',
  });
}
