import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { sharedBlocks } from '@orbit/engine/transfer/shared-blocks';

/** What direct I/O needs of offsets, lengths and buffer addresses (4 KiB covers 512 B and 4 KiB devices). */
export const DIRECT_ALIGN = 4096;

/**
 * A second descriptor on a file the receiver already has open, opened O_DIRECT, with a page-aligned
 * block to read into: reads that neither fill fresh page-cache pages nor copy out of them (on this
 * VM, reading a GiB through the page cache cost 0.4–2 s of kernel time, directly under 0.1 s).
 */
export class DirectReader {
  readonly #handle: FileHandle;
  readonly #block: Uint8Array;
  #closed = false;

  private constructor(handle: FileHandle, block: Uint8Array) {
    this.#handle = handle;
    this.#block = block;
  }

  /**
   * `path` opened again with O_DIRECT, kept only if it is the very file `handle` has open (a name
   * swapped for a link meanwhile is never read); undefined where direct I/O is not available.
   */
  static async open(path: string, handle: FileHandle, blockBytes: number): Promise<DirectReader | undefined> {
    let direct: FileHandle;
    try {
      direct = await open(path, constants.O_RDONLY | constants.O_DIRECT | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    const [opened, expected] = await Promise.all([direct.stat(), handle.stat()]);
    if (opened.dev !== expected.dev || opened.ino !== expected.ino) {
      await direct.close();
      return undefined;
    }
    const [block] = sharedBlocks(1, Math.ceil(blockBytes / DIRECT_ALIGN) * DIRECT_ALIGN) as [Uint8Array];
    return new DirectReader(direct, block);
  }

  /** The largest read. */
  get blockBytes(): number {
    return this.#block.length;
  }

  /**
   * Up to `want` bytes at `position` (a multiple of DIRECT_ALIGN), valid until the next read; fewer
   * at the end of the file. Undefined when the read was refused (e.g. EINVAL from a filesystem that
   * opens O_DIRECT but will not read it): the caller reads through the page cache instead.
   */
  read(position: number, want: number): Promise<Uint8Array | undefined> {
    return this.readInto(this.#block, position, want);
  }

  /** As `read`, into `block`, which must be page-aligned (`sharedBlocks`) and hold `want` rounded up. */
  async readInto(block: Uint8Array, position: number, want: number): Promise<Uint8Array | undefined> {
    // Rounded up to the alignment: at the end of the file the read comes back short.
    const length = Math.ceil(want / DIRECT_ALIGN) * DIRECT_ALIGN;
    if (this.#closed || position % DIRECT_ALIGN !== 0 || length > block.length) return undefined;
    try {
      const { bytesRead } = await this.#handle.read(block, 0, length, position);
      return block.subarray(0, Math.min(bytesRead, want));
    } catch {
      await this.close();
      return undefined;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
  }
}
