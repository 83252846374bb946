import type { FileHandle } from 'node:fs/promises';
import type { ChunkRef } from '@orbit/engine/transfer/chunk-pass';
import type { OldFile } from './incoming-old.ts';
import type { IncomingTemp } from './incoming-temp.ts';
import { type CopyStep, copyChunks } from './old-file-index.ts';

/**
 * The old file copied into the temp file at its own offsets while the sender still cuts its new
 * version along the old chunk list. A file that kept its size but not its mtime was most likely
 * edited in place, so nearly every chunk stays where it was, and the copy (the receiver's biggest
 * job in such a push) no longer waits for the chunk list. When the list arrives the copy stops after
 * the chunk in hand; each new chunk it already placed (the old chunk at that offset has the same
 * length and hash) counts as in place, and every other range is written again as planned. Nothing
 * is trusted unchecked: the temp file is verified as read back before it replaces the target.
 */
export class EarlyCopy {
  readonly #guide: readonly ChunkRef[];
  readonly #copying: Promise<void>;
  /** Bytes `[0, placed)` hold the old file's bytes. */
  #placed = 0;
  #stop = false;

  private constructor(old: FileHandle, guide: readonly ChunkRef[], temp: IncomingTemp, maxChunk: number) {
    this.#guide = guide;
    this.#copying = copyChunks(old, temp.writer, inPlaceSteps(guide, maxChunk), {
      maxChunk,
      onWritten: (index) => {
        const chunk = guide[index];
        if (chunk !== undefined) this.#placed = chunk.offset + chunk.length;
      },
      stopped: () => this.#stop,
      fds: temp.kernelCopyFd === undefined ? undefined : { from: old.fd, to: temp.kernelCopyFd },
    });
    // Reported by `settle`; a copy nobody settles (the file was abandoned) must not go unhandled.
    this.#copying.catch(() => undefined);
  }

  /** Starts copying `old` (which has a cached chunk list) into `temp`. */
  static start(old: OldFile, temp: IncomingTemp, maxChunk: number): EarlyCopy | undefined {
    return old.guide === undefined ? undefined : new EarlyCopy(old.handle, old.guide, temp, maxChunk);
  }

  /** Stops the copy; the indices of `chunks` it left in place, ascending. A failed copy is thrown. */
  async settle(chunks: readonly ChunkRef[]): Promise<number[]> {
    this.#stop = true;
    await this.#copying;
    const old = new Map(this.#guide.map((chunk) => [chunk.offset, chunk]));
    const placed: number[] = [];
    for (const [index, chunk] of chunks.entries()) {
      if (chunk.offset + chunk.length > this.#placed) break;
      const there = old.get(chunk.offset);
      if (there?.length === chunk.length && there.hash === chunk.hash) placed.push(index);
    }
    return placed;
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
