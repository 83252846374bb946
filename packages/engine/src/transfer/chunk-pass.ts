import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import { FastCdcChunker } from '../chunking/fastcdc-chunker.ts';
import type { HashAlgorithm, IncrementalHash } from '../hashing/hash-algorithm.ts';

export interface ChunkRef {
  readonly offset: number;
  readonly length: number;
  readonly hash: string;
}

export interface ChunkPassOptions {
  readonly chunking: ChunkingOptions;
  readonly algorithm: HashAlgorithm;
  /** Start here; must be a chunk boundary (FastCDC restarts its state at every cut, so later cuts match). */
  readonly from?: number;
  /** Stop reading here (exclusive), e.g. the size the scan saw, so a file that keeps growing still ends. */
  readonly end?: number;
  /** Also fed every byte in order, e.g. to compute a whole-file hash across a resumed prefix. */
  readonly wholeHash?: IncrementalHash;
  /** `data` is only valid during the call; await any write of it before returning. */
  readonly onChunk?: (chunk: ChunkRef, data: Uint8Array) => Promise<void> | void;
  readonly onRead?: (bytes: number) => void;
  readonly signal?: AbortSignal;
}

const READ_BLOCK = 8 * 1024 * 1024;

/**
 * One front-to-back pass over an open file: cuts it with FastCDC and hashes every chunk. The open
 * chunk stays contiguous in one buffer, so each chunk is handed out whole without copying it.
 */
export async function chunkPass(handle: FileHandle, options: ChunkPassOptions): Promise<ChunkRef[]> {
  const { algorithm, signal } = options;
  const chunker = new FastCdcChunker(options.chunking);
  let position = options.from ?? 0;
  // Small files get small buffers; a file that grows past what stat said gets the full size.
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const expected = Math.max(0, Math.min(end, (await handle.stat()).size) - position);
  const block = Math.min(READ_BLOCK, Math.max(64 * 1024, expected + 1));
  const fullSize = options.chunking.maxSize + 2 * block;
  let buffer = new Uint8Array(Math.min(fullSize, expected + 2 * block));
  const chunks: ChunkRef[] = [];
  let chunkOffset = position;
  let chunkStart = 0;
  let filled = 0;

  const emit = async (length: number): Promise<void> => {
    const data = buffer.subarray(chunkStart, chunkStart + length);
    const chunk = { offset: chunkOffset, length, hash: algorithm.hash(data) };
    options.wholeHash?.update(data);
    chunks.push(chunk);
    await options.onChunk?.(chunk, data);
    chunkStart += length;
    chunkOffset += length;
  };

  for (;;) {
    signal?.throwIfAborted();
    if (buffer.length - filled < block) {
      buffer.copyWithin(0, chunkStart, filled);
      filled -= chunkStart;
      chunkStart = 0;
    }
    if (buffer.length - filled < block) {
      const grown = new Uint8Array(fullSize);
      grown.set(buffer.subarray(0, filled));
      buffer = grown;
    }
    const want = Math.min(block, end - position);
    const { bytesRead } = want > 0 ? await handle.read(buffer, filled, want, position) : { bytesRead: 0 };
    if (bytesRead === 0) break;
    options.onRead?.(bytesRead);
    const cuts = chunker.push(buffer.subarray(filled, filled + bytesRead));
    filled += bytesRead;
    position += bytesRead;
    for (const length of cuts) await emit(length);
  }
  const last = chunker.finish();
  if (last > 0) await emit(last);
  return chunks;
}

/** Hashes `length` bytes of `handle` at `offset` (undefined when the file is shorter), feeding `wholeHash` too. */
export async function hashRange(
  handle: FileHandle,
  offset: number,
  length: number,
  algorithm: HashAlgorithm,
  scratch: Uint8Array,
  wholeHash?: IncrementalHash,
): Promise<string | undefined> {
  const hasher = algorithm.create();
  let done = 0;
  while (done < length) {
    const want = Math.min(scratch.length, length - done);
    const { bytesRead } = await handle.read(scratch, 0, want, offset + done);
    if (bytesRead === 0) break;
    const view = scratch.subarray(0, bytesRead);
    hasher.update(view);
    wholeHash?.update(view);
    done += bytesRead;
  }
  return done === length ? hasher.digest() : undefined;
}
