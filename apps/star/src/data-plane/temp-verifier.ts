import type { FileHandle } from 'node:fs/promises';
import type { HashAlgorithm, IncrementalHash } from '@orbit/engine/hashing/hash-algorithm';
import { DirectReader } from '@orbit/engine/transfer/direct-reader';
import { sharedBlocks } from '@orbit/engine/transfer/shared-blocks';
import { DataPlaneError } from './data-plane-error.ts';
import type { TempDigest } from './temp-digest.ts';

/** Hash this much of the finished prefix at a time: big enough for few reads, small enough to overlap. */
const STEP_BYTES = 8 * 1024 * 1024;
/** Smaller temp files are read back through the page cache: a second descriptor is not worth it. */
const DIRECT_READ_MIN_BYTES = 2 * STEP_BYTES;

/**
 * Re-reads the temp file and hashes it front to back while the rest is still arriving, so the
 * whole-file check at FILE_END only has the tail left. It hashes what is on disk, not what was
 * received: a chunk written to the wrong place still fails the file. Only a prefix whose every
 * chunk is written (and never written again) may be handed to `advance`. A big temp file is read
 * with O_DIRECT (the kernel writes back any dirty range first): read through the page cache, every
 * byte filled a fresh page-cache page and was copied out of it again, most of a re-sync's kernel
 * time on this VM.
 */
export class TempVerifier implements TempDigest {
  readonly #handle: FileHandle;
  readonly #path: string | undefined;
  readonly #whole: IncrementalHash;
  readonly #size: number;
  /**
   * One buffer for both kinds of read: page-aligned for a file read with O_DIRECT (a plain buffer is
   * not), so a fallback to buffered reads takes the same block. Made on the first read.
   */
  #block: Uint8Array | undefined;
  #direct: Promise<DirectReader | undefined> | undefined;
  #done = 0;
  #ready = 0;
  #running: Promise<void> | undefined;
  #failure: unknown;

  /** `path`: the temp file's own path, for the direct reads of a big one. */
  constructor(handle: FileHandle, algorithm: HashAlgorithm, size: number, path?: string) {
    this.#handle = handle;
    this.#path = size >= DIRECT_READ_MIN_BYTES ? path : undefined;
    this.#whole = algorithm.create();
    this.#size = size;
  }

  /** What is written is hashed as read back, not as received. */
  wrote(): void {}

  /** Bytes `[0, end)` are final: hash them in the background once a step's worth is ready. */
  advance(end: number): void {
    this.#ready = Math.max(this.#ready, end);
    if (this.#running !== undefined || this.#ready - this.#done < STEP_BYTES) return;
    this.#running = this.#catchUp().finally(() => {
      this.#running = undefined;
    });
  }

  /** Hashes what is left up to `size` and returns the whole file's digest. */
  async digest(size: number): Promise<string> {
    await this.idle();
    if (this.#failure !== undefined) throw this.#failure;
    await this.#hashTo(size);
    await this.close();
    return this.#whole.digest();
  }

  /** Waits for background reads, e.g. before the handle is closed. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async close(): Promise<void> {
    const direct = this.#direct;
    this.#direct = Promise.resolve(undefined);
    await (await direct)?.close();
  }

  async #catchUp(): Promise<void> {
    try {
      while (this.#ready - this.#done >= STEP_BYTES && this.#failure === undefined) {
        await this.#hashTo(this.#done + STEP_BYTES);
      }
    } catch (error) {
      this.#failure = error;
    }
  }

  async #hashTo(end: number): Promise<void> {
    while (this.#done < end) {
      const block = this.#readBlock();
      const want = Math.min(block.length, end - this.#done);
      const data = (await this.#readDirect(block, want)) ?? (await this.#readBuffered(block, want));
      if (data.length === 0) {
        throw new DataPlaneError('checksum', `the temp file ends at ${this.#done} bytes, before ${end}`);
      }
      this.#whole.update(data);
      this.#done += data.length;
    }
  }

  #readBlock(): Uint8Array {
    this.#block ??=
      this.#path !== undefined
        ? (sharedBlocks(1, STEP_BYTES) as [Uint8Array])[0]
        : new Uint8Array(Math.max(1, Math.min(STEP_BYTES, this.#size)));
    return this.#block;
  }

  async #readBuffered(block: Uint8Array, want: number): Promise<Uint8Array> {
    const { bytesRead } = await this.#handle.read(block, 0, want, this.#done);
    return block.subarray(0, bytesRead);
  }

  /** Up to `want` bytes at the current offset through the direct descriptor; undefined when it cannot. */
  async #readDirect(block: Uint8Array, want: number): Promise<Uint8Array | undefined> {
    if (this.#path === undefined) return undefined;
    this.#direct ??= DirectReader.open(this.#path, this.#handle);
    const direct = await this.#direct;
    if (direct === undefined) return undefined;
    return direct.readInto(block, this.#done, want);
  }
}
