import type { FileHandle } from 'node:fs/promises';
import { DENO_SEEK_START, type DenoFile, denoRuntime } from '../runtime/deno-runtime.ts';

/** Writes whole buffers at given offsets of one open file. */
export interface PositionalWriter {
  /** Resolves once all of `data` is written at `position`; the caller must not change `data` until then. */
  write(data: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

/** Below this many bytes a second open and a seek cost Deno more than writing on the JS thread. */
const DENO_WRITER_MIN_BYTES = 4 * 1024 * 1024;

/**
 * A writer for `path`, already open as `handle`, that will get about `bytes` bytes. Under Deno,
 * node:fs writes run synchronously on the JavaScript thread (256 MiB blocked it for 50–80 ms, Deno
 * 2.9), so for big files a second descriptor from `Deno.open` writes instead and chunking goes on
 * meanwhile. fsync works per inode, so syncing `handle` still covers these writes.
 */
export async function openPositionalWriter(
  path: string,
  handle: FileHandle,
  bytes: number,
): Promise<PositionalWriter> {
  const deno = bytes >= DENO_WRITER_MIN_BYTES ? denoRuntime() : undefined;
  if (deno) return denoWriter(await deno.open(path, { write: true }));
  return {
    async write(data, position) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    },
    close: async () => undefined,
  };
}

function denoWriter(file: DenoFile): PositionalWriter {
  // seek + write is two steps: writes are queued so one never lands at another's offset.
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  return {
    write(data, position) {
      const next = queue.then(async () => {
        await file.seek(position, DENO_SEEK_START);
        let done = 0;
        while (done < data.length) done += await file.write(data.subarray(done));
      });
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      file.close();
    },
  };
}
