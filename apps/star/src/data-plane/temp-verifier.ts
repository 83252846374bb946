import type { FileHandle } from 'node:fs/promises';
import type { HashAlgorithm, IncrementalHash } from '@orbit/engine/hashing/hash-algorithm';
import { DataPlaneError } from './data-plane-error.ts';
import type { TempDigest } from './temp-digest.ts';

/** Hash this much of the finished prefix at a time: big enough for few reads, small enough to overlap. */
const STEP_BYTES = 8 * 1024 * 1024;

/**
 * Re-reads the temp file and hashes it front to back while the rest is still arriving, so the
 * whole-file check at FILE_END only has the tail left. It hashes what is on disk, not what was
 * received: a chunk written to the wrong place still fails the file. Only a prefix whose every
 * chunk is written (and never written again) may be handed to `advance`.
 */
export class TempVerifier implements TempDigest {
  readonly #handle: FileHandle;
  readonly #whole: IncrementalHash;
  readonly #scratch: Uint8Array;
  #done = 0;
  #ready = 0;
  #running: Promise<void> | undefined;
  #failure: unknown;

  constructor(handle: FileHandle, algorithm: HashAlgorithm, size: number) {
    this.#handle = handle;
    this.#whole = algorithm.create();
    this.#scratch = new Uint8Array(Math.max(1, Math.min(STEP_BYTES, size)));
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
    return this.#whole.digest();
  }

  /** Waits for background reads, e.g. before the handle is closed. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
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
      const want = Math.min(this.#scratch.length, end - this.#done);
      const { bytesRead } = await this.#handle.read(this.#scratch, 0, want, this.#done);
      if (bytesRead === 0) {
        throw new DataPlaneError('checksum', `the temp file ends at ${this.#done} bytes, before ${end}`);
      }
      this.#whole.update(this.#scratch.subarray(0, bytesRead));
      this.#done += bytesRead;
    }
  }
}
