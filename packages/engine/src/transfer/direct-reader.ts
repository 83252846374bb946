import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { inodeOf, isSameInode } from './file-inode.ts';

/** What direct I/O needs of offsets, lengths and buffer addresses (4 KiB covers 512 B and 4 KiB devices). */
export const DIRECT_ALIGN = 4096;

/**
 * A second descriptor on a file the caller already has open, opened O_DIRECT: reads that neither
 * fill fresh page-cache pages nor copy out of them (on this VM, reading a GiB through the page cache
 * cost 0.4–2 s of kernel time, directly under 0.1 s; the disk gave 1.8 GB/s). Worth it for big files
 * read once: a source being copied, a temp file being verified, an old file being copied in place.
 */
export class DirectReader {
  readonly #handle: FileHandle;
  #closed = false;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /**
   * `path` opened again with O_DIRECT, kept only if it is the very file `handle` has open (a name
   * swapped for a link meanwhile is never read); undefined where direct I/O is not available.
   */
  static async open(path: string, handle: FileHandle): Promise<DirectReader | undefined> {
    let direct: FileHandle;
    try {
      direct = await open(path, constants.O_RDONLY | constants.O_DIRECT | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      const [opened, expected] = await Promise.all([direct.stat(), inodeOf(handle)]);
      if (isSameInode(opened, expected)) return new DirectReader(direct);
    } catch {
      // Treated as a mismatch: the caller reads through its own descriptor.
    }
    await direct.close();
    return undefined;
  }

  /**
   * Up to `want` bytes at `position` into `block`, which must be page-aligned memory (`sharedBlocks`)
   * able to hold `want` rounded up to DIRECT_ALIGN; fewer at the end of the file. Undefined when
   * direct I/O cannot take it (an unaligned position, a short block) or the read was refused (e.g.
   * EINVAL from a filesystem that opens O_DIRECT but will not read it, after which every read is
   * refused): the caller reads through the page cache instead.
   */
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
