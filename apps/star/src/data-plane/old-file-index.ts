import type { FileHandle } from 'node:fs/promises';
import type { ChunkingOptions } from '@orbit/engine/chunking/chunking-options';
import type { HashAlgorithm } from '@orbit/engine/hashing/hash-algorithm';
import { type ChunkRef, chunkPass } from '@orbit/engine/transfer/chunk-pass';
import { type CopyRange, openCopyFileRange } from '../native/copy-file-range.ts';
import { DataPlaneError } from './data-plane-error.ts';
import type { FileWriter } from './file-writer.ts';

/** The file already at the target, cut the way the sender cuts: what the new one may reuse. */
export interface OldFileIndex {
  readonly size: number;
  /** Chunk hash → where it first occurs in the old file. */
  readonly chunks: ReadonlyMap<string, { readonly offset: number; readonly length: number }>;
  /**
   * True when the old file has exactly the announced chunks: FastCDC cuts the same content the same
   * way, so equal sizes and equal chunk hashes at equal offsets mean equal content, without a
   * second, whole-file hash pass.
   */
  sameAs(size: number, announced: readonly ChunkRef[]): boolean;
}

/** One pass over the old file: FastCDC cuts and a hash per chunk. */
export async function indexOldFile(
  handle: FileHandle,
  chunking: ChunkingOptions,
  algorithm: HashAlgorithm,
): Promise<OldFileIndex> {
  const size = (await handle.stat()).size;
  return listIndex(size, await chunkPass(handle, { chunking, algorithm, end: size }));
}

/** The index of a file of `size` bytes whose chunk list is known. */
export function listIndex(size: number, list: readonly ChunkRef[]): OldFileIndex {
  const chunks = new Map<string, { offset: number; length: number }>();
  for (const chunk of list) {
    if (!chunks.has(chunk.hash)) chunks.set(chunk.hash, { offset: chunk.offset, length: chunk.length });
  }
  return {
    size,
    chunks,
    sameAs: (announcedSize, announced) =>
      announcedSize === size &&
      announced.length === list.length &&
      announced.every((chunk, index) => {
        const old = list[index];
        return old?.offset === chunk.offset && old.length === chunk.length && old.hash === chunk.hash;
      }),
  };
}

export interface CopyStep {
  readonly from: number;
  readonly length: number;
  /** Offsets in the new file, each with the chunk index it fills. */
  readonly to: readonly { readonly offset: number; readonly index: number }[];
}

export interface CopyOptions {
  /** The largest step: the size of each of the two buffers a copy through memory reads into. */
  readonly maxChunk: number;
  /** Chunk `index` is in place. */
  readonly onWritten: (index: number) => void;
  /** Once true, no further step starts. */
  readonly stopped?: () => boolean;
  /** Both files' descriptors, for a copy in the kernel where this runtime offers one. */
  readonly fds?: { readonly from: number; readonly to: number };
}

/**
 * Copies chunks from the old file into the temp file: in the kernel (copy_file_range) where Deno
 * and libc allow it, else through memory, reading the next step while the last is written. The
 * bytes are not hashed again: they were hashed when indexed, and the whole temp file is verified
 * before it replaces the target, so an old file that changed meanwhile fails the file.
 */
export async function copyChunks(
  from: FileHandle,
  to: FileWriter,
  steps: readonly CopyStep[],
  options: CopyOptions,
): Promise<void> {
  const kernel = options.fds === undefined ? undefined : openCopyFileRange();
  const done =
    kernel !== undefined && 'copyRange' in kernel && options.fds !== undefined
      ? await copyInKernel(kernel.copyRange, options.fds, steps, options)
      : 0;
  if (done < steps.length) await copyThroughMemory(from, to, steps.slice(done), options);
}

/**
 * Steps copied in the kernel, in order, until one the kernel refuses: how many are done (all of
 * them once `stopped`: nothing is left for the copy through memory either).
 */
async function copyInKernel(
  copyRange: CopyRange,
  fds: { readonly from: number; readonly to: number },
  steps: readonly CopyStep[],
  { onWritten, stopped }: CopyOptions,
): Promise<number> {
  for (const [n, step] of steps.entries()) {
    if (stopped?.()) return steps.length;
    for (const target of step.to) {
      let copied = 0;
      while (copied < step.length) {
        const length = step.length - copied;
        const bytes = await copyRange(fds.from, step.from + copied, fds.to, target.offset + copied, length);
        if (bytes === 0) throw shrank();
        if (bytes < 0) return n;
        copied += bytes;
      }
      onWritten(target.index);
    }
  }
  return steps.length;
}

async function copyThroughMemory(
  from: FileHandle,
  to: FileWriter,
  steps: readonly CopyStep[],
  { maxChunk, onWritten, stopped }: CopyOptions,
): Promise<void> {
  const buffers = [new Uint8Array(maxChunk), new Uint8Array(maxChunk)] as const;
  const readStep = async (step: CopyStep, buffer: Uint8Array): Promise<Uint8Array> => {
    const data = buffer.subarray(0, step.length);
    let done = 0;
    while (done < step.length) {
      const { bytesRead } = await from.read(data, done, step.length - done, step.from + done);
      if (bytesRead === 0) throw shrank();
      done += bytesRead;
    }
    return data;
  };
  // A read that fails while the previous step is being written is reported when it is awaited.
  const start = (step: CopyStep | undefined, buffer: Uint8Array): Promise<Uint8Array> | undefined => {
    if (step === undefined) return undefined;
    const reading = readStep(step, buffer);
    reading.catch(() => undefined);
    return reading;
  };
  let next = start(steps[0], buffers[0]);
  for (const [n, step] of steps.entries()) {
    if (stopped?.()) {
      await next?.catch(() => undefined);
      return;
    }
    const data = await (next as Promise<Uint8Array>);
    next = start(steps[n + 1], buffers[(n + 1) % 2] as Uint8Array);
    try {
      for (const target of step.to) {
        await to.write(data, target.offset);
        onWritten(target.index);
      }
    } catch (error) {
      await next?.catch(() => undefined);
      throw error;
    }
  }
}

export function shrank(): DataPlaneError {
  return new DataPlaneError('io', 'the old file at the target shrank while its chunks were reused', {
    hint: 'stop whatever writes to the destination file, then push again',
  });
}
