import { open } from 'node:fs/promises';
import { toFsError } from '../scan/fs-error.ts';

/** Large sequential reads: few syscalls and promise hops per GiB, while staying cache friendly. */
export const READ_BLOCK_SIZE = 8 * 1024 * 1024;

export interface SequentialFileReader {
  /** Size at open time; the file may still grow or shrink while it is read. */
  readonly size: number;
  /** Reads up to `length` bytes into `buffer` at `offset`; 0 means end of file. */
  read(buffer: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

/** Opens `path` for a single front-to-back pass; errors name the path and how to fix it. */
export async function openFileReader(path: string): Promise<SequentialFileReader> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw toFsError(error, path, 'open file for reading');
  });
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw toFsError(error, path, 'read file status');
  }
  let position = 0;
  return {
    size,
    async read(buffer, offset, length) {
      try {
        const { bytesRead } = await handle.read(buffer, offset, length, position);
        position += bytesRead;
        return bytesRead;
      } catch (error) {
        throw toFsError(error, path, `read file at byte ${position}`);
      }
    },
    close: () => handle.close(),
  };
}

/** A read buffer no larger than the file needs (plus one byte to see end of file in one read). */
export function readBufferSize(fileSize: number, limit = READ_BLOCK_SIZE): number {
  return Math.max(1, Math.min(limit, fileSize + 1));
}
