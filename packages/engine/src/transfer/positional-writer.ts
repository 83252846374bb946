import type { FileHandle } from 'node:fs/promises';
import { DENO_SEEK_START, type DenoFile, denoRuntime } from '../runtime/deno-runtime.ts';
import { openDirectWriter } from './direct-writer.ts';
import { inodeOf } from './file-inode.ts';

/** Writes whole buffers at given offsets of one open file. */
export interface PositionalWriter {
  /** Resolves once all of `data` is written at `position`; the caller must not change `data` until then. */
  write(data: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Below this many bytes a second open and a seek cost Deno more than writing on the JS thread. Was
 * 4 MiB; the mixed tree of the bench (300 files, most of 64 KiB–4 MiB) copied in 2.07–2.20 s with
 * 1 MiB against 2.53–2.70 s with 4 MiB and 2.23–2.29 s with 512 KiB, in alternating runs.
 */
const DENO_WRITER_MIN_BYTES = 1024 * 1024;
/**
 * Bytes per write call. Linux (6.x, ext4 and others with large folios) sizes the page-cache folios
 * of a buffered write by the write's length; an 8 MiB write took 3–7× the kernel time of the same
 * bytes written 256 KiB at a time here (dd, 1 GiB: 1.3–3.2 s against 0.4–0.9 s), the cost of
 * finding and filling fresh high-order pages. rsync writes in small pieces, and so does this.
 */
export const WRITE_SLICE_BYTES = 256 * 1024;

/**
 * A writer for `path`, already open as `handle`, that will get about `bytes` bytes. Under Deno,
 * node:fs writes run synchronously on the JavaScript thread (256 MiB blocked it for 50–80 ms, Deno
 * 2.9), so for big files a second descriptor from `Deno.open` writes instead and chunking goes on
 * meanwhile. fsync works per inode, so syncing `handle` still covers these writes. `direct`: the
 * file is written once, front to back, in page-aligned blocks; it may bypass the page cache.
 */
export async function openPositionalWriter(
  path: string,
  handle: FileHandle,
  bytes: number,
  options: { readonly direct?: boolean } = {},
): Promise<PositionalWriter> {
  // The worker opens the temp file by name again: it must find the file `handle` has open.
  const direct = options.direct ? openDirectWriter(path, await inodeOf(handle)) : undefined;
  if (direct) return direct;
  const deno = bytes >= DENO_WRITER_MIN_BYTES ? denoRuntime() : undefined;
  if (deno) return denoWriter(await deno.open(path, { write: true }));
  return {
    write: (data, position) => writeSliced(handle, data, position),
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
        while (done < data.length) {
          done += await file.write(data.subarray(done, done + WRITE_SLICE_BYTES));
        }
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

/** All of `data` at `position` of an open node:fs file, in `WRITE_SLICE_BYTES` pieces. */
export async function writeSliced(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const length = Math.min(WRITE_SLICE_BYTES, data.length - done);
    const { bytesWritten } = await handle.write(data, done, length, position + done);
    done += bytesWritten;
  }
}
