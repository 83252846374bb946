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
  /**
   * Gets every block as soon as it is read, before it is cut; the buffer is read into again only
   * after the returned promise settles, so e.g. writing a block overlaps cutting and hashing it.
   */
  readonly onBlock?: (data: Uint8Array, offset: number) => Promise<void>;
  /** Bytes per read (default up to 8 MiB, less for small files). */
  readonly readBlockSize?: number;
  readonly signal?: AbortSignal;
}

const READ_BLOCK = 8 * 1024 * 1024;

/**
 * One front-to-back pass over an open file: cuts it with FastCDC and hashes every chunk. Two read
 * buffers alternate so the next block is read while this one is cut and hashed; a chunk that
 * spans two blocks is gathered in a carry buffer (at most one per block), the rest are handed out
 * in place.
 */
export async function chunkPass(handle: FileHandle, options: ChunkPassOptions): Promise<ChunkRef[]> {
  const { algorithm, signal } = options;
  const chunker = new FastCdcChunker(options.chunking);
  let position = options.from ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  // Small files get small buffers; a caller that knows where to stop saves the fstat.
  const size = options.end ?? (await handle.stat()).size;
  const expected = Math.max(0, size - position);
  if (options.end !== undefined && expected <= options.chunking.minSize) {
    return singleChunk(handle, position, expected, options);
  }
  const block = options.readBlockSize ?? Math.min(READ_BLOCK, Math.max(16 * 1024, expected + 1));
  const buffers = [new Uint8Array(block), new Uint8Array(block)] as const;
  // An open chunk never exceeds maxSize, nor (unless the file grows) what is left of the file.
  let carry = new Uint8Array(Math.min(options.chunking.maxSize, expected + 1));
  const keep = (bytes: Uint8Array, at: number): void => {
    if (at + bytes.length > carry.length) {
      const grown = new Uint8Array(Math.max(options.chunking.maxSize, at + bytes.length));
      grown.set(carry.subarray(0, at));
      carry = grown;
    }
    carry.set(bytes, at);
  };
  let carried = 0;
  const chunks: ChunkRef[] = [];
  let chunkOffset = position;

  const emit = async (data: Uint8Array): Promise<void> => {
    const chunk = { offset: chunkOffset, length: data.length, hash: algorithm.hash(data) };
    options.wholeHash?.update(data);
    chunks.push(chunk);
    await options.onChunk?.(chunk, data);
    chunkOffset += data.length;
  };
  const readInto = async (buffer: Uint8Array): Promise<number> => {
    const want = Math.min(block, end - position);
    if (want <= 0) return 0;
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    position += bytesRead;
    return bytesRead;
  };

  let current: 0 | 1 = 0;
  let pending = readInto(buffers[0]);
  let blockDone: Promise<void> | undefined;
  try {
    for (;;) {
      const bytesRead = await pending;
      signal?.throwIfAborted();
      if (bytesRead === 0) break;
      options.onRead?.(bytesRead);
      const data = buffers[current].subarray(0, bytesRead);
      blockDone = options.onBlock?.(data, position - bytesRead);
      current = current === 0 ? 1 : 0;
      // Safe: everything handed out from the other buffer was awaited in the previous round.
      pending = readInto(buffers[current]);
      let start = 0;
      for (const length of chunker.push(data)) {
        const inBlock = length - carried;
        if (carried > 0) {
          keep(data.subarray(start, start + inBlock), carried);
          carried = 0;
          await emit(carry.subarray(0, length));
        } else await emit(data.subarray(start, start + inBlock));
        start += inBlock;
      }
      keep(data.subarray(start), carried);
      carried += bytesRead - start;
      await blockDone;
    }
  } finally {
    // A failed chunk handler must not leave a read or write running on a buffer or a closing handle.
    await pending.catch(() => 0);
    await blockDone?.catch(() => undefined);
  }
  if (chunker.finish() > 0) await emit(carry.subarray(0, carried));
  return chunks;
}

/**
 * FastCDC never cuts before `minSize`, so what is left of a file up to that size is one chunk: one
 * read into one buffer, one hash, no chunker (most files of a tree of small files).
 */
async function singleChunk(
  handle: FileHandle,
  position: number,
  length: number,
  options: ChunkPassOptions,
): Promise<ChunkRef[]> {
  const data = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(data, filled, length - filled, position + filled);
    options.signal?.throwIfAborted();
    if (bytesRead === 0) break;
    options.onRead?.(bytesRead);
    filled += bytesRead;
  }
  if (filled === 0) return [];
  const bytes = data.subarray(0, filled);
  await options.onBlock?.(bytes, position);
  const chunk = { offset: position, length: filled, hash: options.algorithm.hash(bytes) };
  options.wholeHash?.update(bytes);
  await options.onChunk?.(chunk, bytes);
  return [chunk];
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
