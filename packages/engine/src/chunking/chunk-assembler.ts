import type { HashAlgorithm, IncrementalHash } from '../hashing/hash-algorithm.ts';
import type { ChunkingOptions } from './chunking-options.ts';
import { FastCdcChunker } from './fastcdc-chunker.ts';

export interface ChunkInfo {
  /** Byte offset of the chunk in the file or stream. */
  readonly offset: number;
  readonly length: number;
  readonly hash: string;
}

export interface FileChunks {
  readonly size: number;
  /** Hash of the whole content, computed in the same pass as the chunks. */
  readonly hash: string;
  readonly chunks: ChunkInfo[];
}

export interface ChunkHandlers {
  /**
   * Called once per chunk, in order. `data` is a view into a reused buffer: it is valid only until
   * the returned promise settles (or the call returns); copy it to keep it.
   */
  onChunk?(chunk: ChunkInfo, data: Uint8Array): void | Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Holds incoming bytes in one reused buffer so every chunk is contiguous when it is handed out.
 * The open chunk (< maxSize bytes) is moved to the front before the free space runs short.
 */
export class ChunkAssembler {
  readonly #chunker: FastCdcChunker;
  readonly #algorithm: HashAlgorithm;
  readonly #whole: IncrementalHash;
  readonly #handlers: ChunkHandlers;
  readonly #refillSize: number;
  readonly #chunks: ChunkInfo[] = [];
  #buffer: Uint8Array;
  /** Buffer index of the open chunk's first byte, and of the first free byte. */
  #start = 0;
  #filled = 0;
  #offset = 0;

  constructor(
    options: ChunkingOptions,
    algorithm: HashAlgorithm,
    handlers: ChunkHandlers,
    /** How much free space each refill wants; the buffer grows to this plus one maximal chunk. */
    refillSize: number,
    /** Initial buffer size, for inputs known to be small (a 10-byte file needs no 12 MiB). */
    initialCapacity = refillSize + options.maxSize,
  ) {
    this.#chunker = new FastCdcChunker(options);
    this.#algorithm = algorithm;
    this.#whole = algorithm.create();
    this.#handlers = handlers;
    this.#refillSize = Math.max(1, refillSize);
    this.#buffer = new Uint8Array(Math.max(1, initialCapacity));
  }

  /** Free space to fill next (at least `refillSize` bytes); pass the count written to `commit`. */
  space(): Uint8Array {
    if (this.#buffer.length - this.#filled >= this.#refillSize) return this.#buffer.subarray(this.#filled);
    this.#buffer.copyWithin(0, this.#start, this.#filled);
    this.#filled -= this.#start;
    this.#start = 0;
    // Grow only when full: a small initial buffer is a promise the input is small. The open chunk
    // is below maxSize, so refill + maxSize always leaves a full refill free.
    if (this.#filled === this.#buffer.length) {
      const grown = new Uint8Array(this.#refillSize + this.#chunker.options.maxSize);
      grown.set(this.#buffer.subarray(0, this.#filled));
      this.#buffer = grown;
    }
    return this.#buffer.subarray(this.#filled);
  }

  /** Accepts `count` bytes written at the start of the last `space()` and emits finished chunks. */
  async commit(count: number): Promise<void> {
    this.#handlers.signal?.throwIfAborted();
    const fresh = this.#buffer.subarray(this.#filled, this.#filled + count);
    this.#whole.update(fresh);
    this.#filled += count;
    for (const length of this.#chunker.push(fresh)) await this.#emit(length);
  }

  /** Copies `data` in (for sources that hand over their own buffers). */
  async write(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const space = this.space();
      const count = Math.min(space.length, data.length - done);
      space.set(data.subarray(done, done + count));
      done += count;
      await this.commit(count);
    }
  }

  async finish(): Promise<FileChunks> {
    const last = this.#chunker.finish();
    if (last > 0) await this.#emit(last);
    return { size: this.#offset, hash: this.#whole.digest(), chunks: this.#chunks };
  }

  async #emit(length: number): Promise<void> {
    const data = this.#buffer.subarray(this.#start, this.#start + length);
    const chunk: ChunkInfo = { offset: this.#offset, length, hash: this.#algorithm.hash(data) };
    this.#chunks.push(chunk);
    this.#start += length;
    this.#offset += length;
    await this.#handlers.onChunk?.(chunk, data);
    this.#handlers.signal?.throwIfAborted();
  }
}
