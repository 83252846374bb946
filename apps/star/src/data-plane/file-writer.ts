import type { FileHandle } from 'node:fs/promises';
import { inodeOf, isSameInode } from '@orbit/engine/transfer/file-inode';
import { WRITE_SLICE_BYTES, writeSliced } from '@orbit/engine/transfer/positional-writer';
import { writeDataRuns } from '@orbit/engine/transfer/sparse-runs';
import { DataPlaneError } from './data-plane-error.ts';

/** Positional writes to one open file, in the order they are asked for. */
export interface FileWriter {
  write(data: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

/** The part of Deno's file API used here (the Star runs on Deno; its tests also run on Node). */
interface DenoFile {
  seek(offset: number, whence: 0): Promise<number>;
  write(data: Uint8Array): Promise<number>;
  stat(): Promise<{ dev: number; ino: number | null }>;
  close(): void;
}
interface DenoFiles {
  open(path: string, options: { write: true }): Promise<DenoFile>;
}

const deno = (globalThis as { Deno?: DenoFiles }).Deno;

/**
 * Under Deno, a node:fs write holds the event loop (TLS, hashing, framing) for the whole copy into
 * the kernel; Deno's own file write held it about half as long here. So under Deno the same file
 * is opened again by path, accepted only if it is the very inode `handle` has open (a path swapped
 * for a symlink meanwhile is refused), and written with seek + write, one write at a time.
 */
export async function openWriter(handle: FileHandle, path: string): Promise<FileWriter> {
  if (deno === undefined) {
    return {
      write: (data, position) => writeSliced(handle, data, position),
      close: async () => undefined,
    };
  }
  const file = await deno.open(path, { write: true });
  const [opened, expected] = await Promise.all([file.stat(), inodeOf(handle)]);
  if (!isSameInode(opened, expected)) {
    file.close();
    throw new DataPlaneError('path-denied', `${path} was replaced while it was being opened`);
  }
  let queue: Promise<void> = Promise.resolve();
  // A streamed file is written front to back: no seek between consecutive writes.
  let at = 0;
  return {
    write(data, position) {
      const run = queue.then(async () => {
        if (position !== at) await file.seek(position, 0);
        at = position;
        let done = 0;
        // In slices, as the engine writes: the kernel fills big writes' fresh folios far slower.
        while (done < data.length) done += await file.write(data.subarray(done, done + WRITE_SLICE_BYTES));
        at += done;
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      file.close();
    },
  };
}

/**
 * Writes only the pages that hold data (the engine's rule, `sparse-runs.ts`): zero pages stay
 * holes. The file must already have its full size, so a hole is read back as zeros.
 */
export function sparseWriter(writer: FileWriter): FileWriter {
  return {
    write: (data, position) => writeDataRuns(data, position, (piece, at) => writer.write(piece, at)),
    close: () => writer.close(),
  };
}
