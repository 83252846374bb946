import type { FileHandle } from 'node:fs/promises';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { type ChunkRef, hashRange } from '@orbit/engine/transfer/chunk-pass';
import type { JailedPath } from '../security/path-jail.ts';
import type { CachedChunkList } from './chunk-list-cache.ts';
import { DataPlaneError } from './data-plane-error.ts';
import type { IncomingContext } from './incoming-file.ts';
import { indexOldFile, listIndex, type OldFileIndex } from './old-file-index.ts';

type Settled<T> = { readonly value: T } | { readonly error: unknown };

const HASH_STEP_BYTES = 8 * 1024 * 1024;

/**
 * The file already at the target, held open while the new one is built. Its chunk index comes from
 * the chunk-list cache when the cache vouches for the file (no read at all), else from one FastCDC
 * pass in the background while the sender cuts its own file.
 */
export class OldFile {
  readonly handle: FileHandle;
  readonly size: number;
  readonly mtimeMs: number;
  /** The cached chunk list: offered to the sender to cut its file along (READY `list`). */
  readonly guide: readonly ChunkRef[] | undefined;
  readonly #target: JailedPath;

  /** Where the old file is (resolved through the jail). */
  get path(): string {
    return this.#target.realPath;
  }
  readonly #ctx: IncomingContext;
  readonly #algorithm: HashAlgorithm;
  #cached: CachedChunkList | undefined;
  #index: Promise<Settled<OldFileIndex>>;

  private constructor(
    handle: FileHandle,
    stat: { readonly size: number; readonly mtimeMs: number },
    target: JailedPath,
    ctx: IncomingContext,
    algorithm: HashAlgorithm,
    cached: CachedChunkList | undefined,
  ) {
    this.handle = handle;
    this.size = stat.size;
    this.mtimeMs = stat.mtimeMs;
    this.#target = target;
    this.#ctx = ctx;
    this.#algorithm = algorithm;
    this.#cached = cached;
    this.guide = cached?.chunks;
    this.#index = cached ? Promise.resolve({ value: listIndex(cached.size, cached.chunks) }) : this.#cut();
  }

  /** The regular file at `target`, or undefined when there is nothing to reuse. */
  static async open(
    target: JailedPath,
    ctx: IncomingContext,
    algorithm: HashAlgorithm,
  ): Promise<OldFile | undefined> {
    // A symlink in the way has nothing to reuse: the rename replaces the link itself.
    if (!target.exists || target.symlink) return undefined;
    const { handle } = await ctx.jail.openResolved(target, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new DataPlaneError('io', `${target.realPath} exists and is not a regular file`, {
          path: target.requested,
          hint: 'move it out of the way, then push again',
        });
      }
      const key = { algorithm: algorithm.name, chunking: ctx.chunking };
      const cached = await ctx.cache.load(target.realPath, stat.ino, key);
      if (cached !== undefined) ctx.counters.oldListsCached++;
      return new OldFile(handle, stat, target, ctx, algorithm, cached);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The chunk index; a failed cut is thrown here. */
  async index(): Promise<OldFileIndex> {
    const settled = await this.#index;
    if ('error' in settled) throw settled.error;
    return settled.value;
  }

  /**
   * True when the old file is the announced one, so only its metadata changes. A cached list claims
   * it by the whole-file hash, and the claim is checked by hashing the file: a false one drops the
   * entry and falls back to cutting the file.
   */
  async holds(size: number, chunks: readonly ChunkRef[], hash: string): Promise<boolean> {
    const cached = this.#cached;
    if (cached === undefined) return (await this.index()).sameAs(size, chunks);
    if (cached.size !== size || cached.hash !== hash) return false;
    const scratch = new Uint8Array(Math.max(1, Math.min(HASH_STEP_BYTES, size)));
    const actual = await hashRange(this.handle, 0, size, this.#algorithm, scratch);
    if (actual === hash && (await this.handle.stat()).size === size) return true;
    this.#ctx.log(
      `chunk-list cache entry for ${this.#target.realPath} does not match the file (its whole-file hash differs); dropped: the old file is cut instead`,
    );
    await this.#forget();
    return (await this.index()).sameAs(size, chunks);
  }

  /** A file built with chunks of this one failed its whole-file check: a cached list may have lied. */
  async failed(): Promise<void> {
    if (this.#cached === undefined) return;
    this.#ctx.log(
      `chunk-list cache entry for ${this.#target.realPath} was used for a file that failed its check; dropped`,
    );
    this.#cached = undefined;
    await this.#ctx.cache.drop(this.#target.realPath);
  }

  async close(): Promise<void> {
    await this.#index;
    await this.handle.close().catch(() => undefined);
  }

  async #forget(): Promise<void> {
    this.#cached = undefined;
    await this.#ctx.cache.drop(this.#target.realPath);
    this.#index = this.#cut();
  }

  #cut(): Promise<Settled<OldFileIndex>> {
    return indexOldFile(this.handle, this.#ctx.chunking, this.#algorithm).then(
      (value) => {
        this.#ctx.counters.oldBytesCut += value.size;
        return { value };
      },
      (error: unknown) => ({ error }),
    );
  }
}
