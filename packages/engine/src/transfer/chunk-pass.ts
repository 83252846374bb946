import type { FileHandle } from 'node:fs/promises';
import { type CutterKind, openBlockCutter, workerCutterAvailable } from '../chunking/block-cutter.ts';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import type { HashAlgorithm, IncrementalHash } from '../hashing/hash-algorithm.ts';
import { sharedBlocks } from './shared-blocks.ts';

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
  /** Where FastCDC runs; default: a worker for big files where workers exist, else this thread. */
  readonly cutter?: CutterKind;
  readonly signal?: AbortSignal;
}

const READ_BLOCK = 8 * 1024 * 1024;
/** Read buffers in rotation: one being read, one cut, one hashed and handed out. */
const RING_BLOCKS = 3;
/** Below this a worker's start-up (tens of ms) costs more than cutting on the calling thread saves. */
export const WORKER_CUT_MIN_BYTES = 48 * 1024 * 1024;

interface PendingBlock {
  readonly data: Uint8Array;
  readonly cuts: Promise<number[]>;
  readonly written: Promise<void> | undefined;
}

/**
 * One front-to-back pass over an open file: cuts it with FastCDC and hashes every chunk. Three read
 * buffers rotate so that, at once, one block is read, the one before is cut (in a worker on a
 * second core for big files under Deno) and the one before that is hashed and handed out; a chunk
 * that spans blocks is gathered in a carry buffer, the rest are handed out in place.
 */
export async function chunkPass(handle: FileHandle, options: ChunkPassOptions): Promise<ChunkRef[]> {
  const { algorithm, signal } = options;
  let position = options.from ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  // Small files get small buffers; a caller that knows where to stop saves the fstat.
  const size = options.end ?? (await handle.stat()).size;
  const expected = Math.max(0, size - position);
  if (options.end !== undefined && expected <= options.chunking.minSize) {
    return singleChunk(handle, position, expected, options);
  }
  const kind =
    options.cutter ?? (expected >= WORKER_CUT_MIN_BYTES && workerCutterAvailable() ? 'worker' : 'in-thread');
  const cutter = openBlockCutter(options.chunking, kind);
  const block = options.readBlockSize ?? Math.min(READ_BLOCK, Math.max(16 * 1024, expected + 1));
  // Plain buffers are made when first read into: a file that fits one block needs one, not three
  // (a tree of mid-sized files spent a tenth of its main thread zeroing the two it never used).
  const ring: Uint8Array[] = cutter.needsSharedMemory ? sharedBlocks(RING_BLOCKS, block) : [];
  const bufferAt = (slot: number): Uint8Array => {
    ring[slot] ??= new Uint8Array(block);
    return ring[slot];
  };
  // An open chunk never exceeds maxSize, nor (unless the file grows) what is left of the file.
  let carry: Uint8Array | undefined;
  const keep = (bytes: Uint8Array, at: number): void => {
    if (bytes.length === 0) return;
    if (carry === undefined || at + bytes.length > carry.length) {
      const grown = new Uint8Array(
        Math.max(
          Math.min(options.chunking.maxSize, expected + 1),
          carry ? options.chunking.maxSize : 0,
          at + bytes.length,
        ),
      );
      if (carry) grown.set(carry.subarray(0, at));
      carry = grown;
    }
    carry.set(bytes, at);
  };
  /** The last block's open chunk when nothing was carried into it: handed out where it lies. */
  let tail: Uint8Array | undefined;
  let carried = 0;
  const chunks: ChunkRef[] = [];
  let chunkOffset = position;

  const emit = async (data: Uint8Array): Promise<void> => {
    // Per chunk, not only per block: a handler may take long over each (zstd's high levels).
    signal?.throwIfAborted();
    const chunk = { offset: chunkOffset, length: data.length, hash: algorithm.hash(data) };
    options.wholeHash?.update(data);
    chunks.push(chunk);
    await options.onChunk?.(chunk, data);
    chunkOffset += data.length;
  };
  const readInto = async (slot: number): Promise<number> => {
    const want = Math.min(block, end - position);
    if (want <= 0) return 0;
    const { bytesRead } = await handle.read(bufferAt(slot), 0, want, position);
    position += bytesRead;
    return bytesRead;
  };
  /**
   * Hands out the chunks that ended in `pending`, keeping its open tail in the carry buffer (in
   * place when it is the `last` block: no read will reuse its buffer).
   */
  const handOut = async (pending: PendingBlock, last: boolean): Promise<void> => {
    const { data } = pending;
    let start = 0;
    for (const length of await pending.cuts) {
      const inBlock = length - carried;
      if (carried > 0) {
        keep(data.subarray(start, start + inBlock), carried);
        carried = 0;
        // Bytes were carried, so the carry buffer exists.
        await emit((carry as Uint8Array).subarray(0, length));
      } else await emit(data.subarray(start, start + inBlock));
      start += inBlock;
    }
    const open = data.subarray(start);
    if (last && carried === 0) tail = open;
    else keep(open, carried);
    carried += open.length;
    await pending.written;
  };

  let slot = 0;
  let reading = readInto(0);
  reading.catch(ignore);
  const inFlight: PendingBlock[] = [];
  try {
    for (;;) {
      const bytesRead = await reading;
      signal?.throwIfAborted();
      if (bytesRead > 0) {
        options.onRead?.(bytesRead);
        const data = bufferAt(slot).subarray(0, bytesRead);
        const pending = {
          data,
          written: options.onBlock?.(data, position - bytesRead),
          cuts: cutter.push(data),
        };
        inFlight.push(pending);
        // A block's write or cut may fail while an earlier block is still handed out, and closing the
        // worker cutter fails the cuts it still owes: marked handled here, each failure surfaces
        // where it is awaited. Unhandled, it would end a Deno process.
        pending.written?.catch(ignore);
        pending.cuts.catch(ignore);
        slot = (slot + 1) % RING_BLOCKS;
        // Safe: the block that last used this buffer was handed out and written in the previous round.
        reading = readInto(slot);
        reading.catch(ignore);
      }
      // The block before the newest is handed out while the newest is cut and the next one read.
      if (inFlight.length === 2 || (bytesRead === 0 && inFlight.length === 1)) {
        await handOut(inFlight[0] as PendingBlock, bytesRead === 0);
        inFlight.shift();
      }
      if (bytesRead === 0) break;
    }
    const rest = await cutter.finish();
    if (rest > 0) await emit(tail ?? (carry as Uint8Array).subarray(0, carried));
  } finally {
    cutter.close();
    // A failed chunk handler must not leave a read or write running on a buffer or a closing handle.
    await reading.catch(() => 0);
    for (const pending of inFlight) {
      await pending.written?.catch(() => undefined);
      await pending.cuts.catch(() => undefined);
    }
  }
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

function ignore(): void {}
