import type { FileHandle } from 'node:fs/promises';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import { DirectReader } from '@orbit/engine/transfer/direct-reader';
import { openDirectWriter } from '@orbit/engine/transfer/direct-writer';
import { inodeOf } from '@orbit/engine/transfer/file-inode';
import type { PositionalWriter } from '@orbit/engine/transfer/positional-writer';
import { sharedBlocks } from '@orbit/engine/transfer/shared-blocks';
import type { OldFile } from './incoming-old.ts';
import type { IncomingTemp } from './incoming-temp.ts';
import { type CopyStep, copyChunks, shrank } from './old-file-index.ts';

/** Blocks of a direct copy: page-aligned, two of them, one read while the other is written. */
const DIRECT_BLOCK_BYTES = 8 * 1024 * 1024;

/**
 * The old file copied into the temp file at its own offsets while the sender still cuts its new
 * version along the old chunk list. A file that kept its size but not its mtime was most likely
 * edited in place, so nearly every chunk stays where it was, and the copy (the receiver's biggest
 * job in such a push) no longer waits for the chunk list. When the list arrives the copy stops after
 * the chunk in hand (a direct copy goes on while most of what it has left stays in place); each new
 * chunk it already placed (the old chunk at that offset has the same length and hash) counts as in
 * place, and every other range is written again as planned. Nothing is trusted unchecked: the temp
 * file is verified as read back before it replaces the target.
 */
export class EarlyCopy {
  readonly #guide: readonly ChunkRef[];
  readonly #copying: Promise<void>;
  /** Copying with direct writes: what it leaves undone would be copied in the kernel instead. */
  readonly #direct: boolean;
  /** Bytes `[0, placed)` hold the old file's bytes. */
  #placed = 0;
  #stop = false;

  private constructor(
    old: FileHandle,
    guide: readonly ChunkRef[],
    temp: IncomingTemp,
    maxChunk: number,
    direct: DirectCopy | undefined,
  ) {
    this.#guide = guide;
    this.#direct = direct !== undefined;
    const stopped = (): boolean => this.#stop;
    this.#copying = direct
      ? copyInPlaceDirect(old, direct, guideEnd(guide), stopped, (end) => {
          this.#placed = end;
        })
      : copyChunks(old, temp.writer, inPlaceSteps(guide, maxChunk), {
          maxChunk,
          onWritten: (index) => {
            const chunk = guide[index];
            if (chunk !== undefined) this.#placed = chunk.offset + chunk.length;
          },
          stopped,
          fds: temp.kernelCopyFd === undefined ? undefined : { from: old.fd, to: temp.kernelCopyFd },
        });
    // Reported by `settle`; a copy nobody settles (the file was abandoned) must not go unhandled.
    this.#copying.catch(() => undefined);
  }

  /**
   * Starts copying `old` (which has a cached chunk list) into `temp`. From `directWriteMinBytes`
   * on, and where direct writes exist, the copy goes through memory in page-aligned blocks written
   * with O_DIRECT: copy_file_range fills fresh page-cache pages for every byte, 0.8–3.8 s of kernel
   * time per GiB here with the host's phase. A file with holes is copied as before (its writer keeps
   * the holes).
   */
  static async start(
    old: OldFile,
    temp: IncomingTemp,
    options: { readonly maxChunk: number; readonly directWriteMinBytes: number },
  ): Promise<EarlyCopy | undefined> {
    if (old.guide === undefined) return undefined;
    const writer =
      temp.kernelCopyFd !== undefined && guideEnd(old.guide) >= options.directWriteMinBytes
        ? openDirectWriter(temp.path.realPath, await inodeOf(temp.handle))
        : undefined;
    const direct = writer && {
      writer,
      reader: await DirectReader.open(old.path, old.handle),
    };
    return new EarlyCopy(old.handle, old.guide, temp, options.maxChunk, direct);
  }

  /** Stops the copy; the indices of `chunks` it left in place, ascending. A failed copy is thrown. */
  async settle(chunks: readonly ChunkRef[]): Promise<number[]> {
    const old = new Map(this.#guide.map((chunk) => [chunk.offset, chunk]));
    // A direct copy goes on when most of what it has yet to copy stays in place: stopped, that
    // would be copied again in the kernel, through fresh page-cache pages.
    this.#stop = !(this.#direct && this.#mostlyInPlace(chunks, old));
    await this.#copying;
    const placed: number[] = [];
    for (const [index, chunk] of chunks.entries()) {
      if (chunk.offset + chunk.length > this.#placed) break;
      const there = old.get(chunk.offset);
      if (there?.length === chunk.length && there.hash === chunk.hash) placed.push(index);
    }
    return placed;
  }

  #mostlyInPlace(chunks: readonly ChunkRef[], old: ReadonlyMap<number, ChunkRef>): boolean {
    let inPlace = 0;
    let rest = 0;
    for (const chunk of chunks) {
      if (chunk.offset + chunk.length <= this.#placed) continue;
      rest += chunk.length;
      const there = old.get(chunk.offset);
      if (there?.length === chunk.length && there.hash === chunk.hash) inPlace += chunk.length;
    }
    return inPlace * 2 >= rest;
  }

  /** Stops the copy and waits for it, whatever became of it (the file is being abandoned). */
  async stop(): Promise<void> {
    this.#stop = true;
    await this.#copying.catch(() => undefined);
  }
}

/**
 * The old file's chunks as copy steps to their own offsets, neighbours merged up to `maxChunk`
 * (fewer calls, and whole ranges a filesystem with shared blocks can share). A step is named by
 * its last chunk, so "written" means everything up to that chunk's end is in place.
 */
function inPlaceSteps(guide: readonly ChunkRef[], maxChunk: number): CopyStep[] {
  const steps: CopyStep[] = [];
  let from = 0;
  let length = 0;
  for (const [index, chunk] of guide.entries()) {
    if (length > 0 && length + chunk.length > maxChunk) {
      steps.push({ from, length, to: [{ offset: from, index: index - 1 }] });
      from = chunk.offset;
      length = 0;
    }
    length += chunk.length;
  }
  if (length > 0) steps.push({ from, length, to: [{ offset: from, index: guide.length - 1 }] });
  return steps;
}

function guideEnd(guide: readonly ChunkRef[]): number {
  const last = guide.at(-1);
  return last === undefined ? 0 : last.offset + last.length;
}

/** The parts of a direct copy: the temp file's direct writer, and the old file's direct reader if any. */
interface DirectCopy {
  readonly writer: PositionalWriter;
  readonly reader: DirectReader | undefined;
}

/**
 * `size` bytes of `old` to the same offsets of the temp file: read with O_DIRECT where the reader
 * exists (else through the page cache) into one of two page-aligned blocks, written with O_DIRECT
 * by the writer's worker while the next block is read; `onPlaced` gets the end of what is written,
 * in order. Stops after the block in hand once `stopped`. Both are closed before this settles, so
 * the temp file's own writes never meet a direct write still running.
 */
async function copyInPlaceDirect(
  old: FileHandle,
  { writer, reader }: DirectCopy,
  size: number,
  stopped: () => boolean,
  onPlaced: (end: number) => void,
): Promise<void> {
  const blocks = sharedBlocks(2, DIRECT_BLOCK_BYTES) as [Uint8Array, Uint8Array];
  const writes: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
  let slot: 0 | 1 = 0;
  let position = 0;
  const readBlock = async (block: Uint8Array, at: number, want: number): Promise<Uint8Array> => {
    const direct = await reader?.readInto(block, at, want);
    if (direct !== undefined && direct.length === want) return direct;
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await old.read(block, filled, want - filled, at + filled);
      if (bytesRead === 0) throw shrank();
      filled += bytesRead;
    }
    return block.subarray(0, want);
  };
  try {
    while (position < size && !stopped()) {
      // The block read into next must be written out first.
      await writes[slot];
      const want = Math.min(DIRECT_BLOCK_BYTES, size - position);
      const data = await readBlock(blocks[slot], position, want);
      const end = position + want;
      // The worker writes in order, so each end reported is past the one before.
      writes[slot] = writer.write(data, position).then(() => onPlaced(end));
      writes[slot].catch(() => undefined);
      position = end;
      slot = slot === 0 ? 1 : 0;
    }
    await Promise.all(writes);
  } finally {
    await Promise.allSettled(writes);
    await reader?.close();
    await writer.close();
  }
}
