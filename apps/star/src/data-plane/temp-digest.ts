import type { FileHandle } from 'node:fs/promises';
import type { HashAlgorithm, IncrementalHash } from '@orbit/engine/hashing/hash-algorithm';
import { DataPlaneError } from './data-plane-error.ts';
import { TempVerifier } from './temp-verifier.ts';

/** How the whole-file hash of a temp file is taken before it may replace its target. */
export interface TempDigest {
  /** Chunk bytes handed to the writer for `offset`, in the order they were handed over. */
  wrote(data: Uint8Array, offset: number): void;
  /** Bytes `[0, end)` are on disk for good. */
  advance(end: number): void;
  /** The hash of the whole file of `size` bytes, once everything is written. */
  digest(size: number): Promise<string>;
  /** Waits for background work, e.g. before the handle is closed. */
  idle(): Promise<void>;
  /** Releases what it holds open of its own (after `idle`). */
  close(): Promise<void>;
}

/**
 * A streamed file's temp file is written front to back by this receiver alone, from the very
 * buffers hashed here, so its hash is taken as it is written: reading it back would only hash the
 * page cache again. This is the engine's rule for a fresh temp file (file-sync.ts).
 */
export class WrittenDigest implements TempDigest {
  readonly #whole: IncrementalHash;
  readonly #path: string;
  #done = 0;

  constructor(algorithm: HashAlgorithm, path: string) {
    this.#whole = algorithm.create();
    this.#path = path;
  }

  wrote(data: Uint8Array, offset: number): void {
    if (offset !== this.#done) {
      throw new DataPlaneError(
        'protocol',
        `${this.#path} is streamed front to back, but bytes came for ${offset} after ${this.#done}`,
      );
    }
    this.#whole.update(data);
    this.#done += data.length;
  }

  advance(): void {}

  async digest(size: number): Promise<string> {
    if (this.#done !== size) {
      throw new DataPlaneError('checksum', `${this.#path} has ${this.#done} of its ${size} bytes`);
    }
    return this.#whole.digest();
  }

  async idle(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * `written`: the temp file is streamed and hashed as written. `read-back`: it mixes chunks received,
 * copied from the old file and kept from an interrupted run, so what is on disk is hashed.
 */
export type TempDigestKind = 'written' | 'read-back';

export function createTempDigest(
  kind: TempDigestKind,
  handle: FileHandle,
  algorithm: HashAlgorithm,
  size: number,
  path: string,
): TempDigest {
  return kind === 'written'
    ? new WrittenDigest(algorithm, path)
    : new TempVerifier(handle, algorithm, size, path);
}
