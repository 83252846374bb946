import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { serveRequests } from '../runtime/module-worker.ts';
import { type FileInode, isSameInode } from './file-inode.ts';
import { WRITE_SLICE_BYTES } from './positional-writer.ts';

/**
 * Messages of `openDirectWriter` (direct-writer.ts): `write` and `close` are answered in order,
 * `open` only when it fails.
 */
export type DirectWriteRequest =
  | { readonly kind: 'open'; readonly path: string; readonly inode?: FileInode }
  | { readonly kind: 'write'; readonly data: Uint8Array; readonly position: number }
  | { readonly kind: 'close' };

export type DirectWriteResponse =
  | { readonly written: number }
  | { readonly closed: true }
  | { readonly error: string };

/**
 * Direct I/O needs the buffer's address, the file offset and the length in multiples of the
 * device's block size; 4 KiB covers the usual 512-byte and 4 KiB ones.
 */
const DIRECT_ALIGN = 4096;

/** O_DIRECT descriptor, dropped after the first refused direct write. */
let direct: number | undefined;
/** Page-cache descriptor for what direct I/O cannot take: an unaligned tail, or all after a refusal. */
let buffered: number | undefined;

serveRequests<DirectWriteRequest, DirectWriteResponse>((request) => {
  if (request.kind === 'open') {
    buffered = openSync(request.path, constants.O_WRONLY);
    direct = openDirect(request.path);
    // Opening by path again follows whatever stands at the name now (a symlink swapped in after the
    // caller's own checked open): both descriptors must be the caller's very file, or none is used.
    const expected = request.inode;
    if (expected !== undefined) {
      for (const fd of [buffered, direct]) {
        if (fd === undefined) continue;
        if (!isSameInode(fstatSync(fd), expected)) {
          closeAll();
          throw new Error(`${request.path} was replaced by another file while it was being opened`);
        }
      }
    }
    return undefined;
  }
  if (request.kind === 'write') return { written: write(request.data, request.position) };
  closeAll();
  return { closed: true };
});

function closeAll(): void {
  if (direct !== undefined) closeSync(direct);
  if (buffered !== undefined) closeSync(buffered);
  direct = buffered = undefined;
}

function openDirect(path: string): number | undefined {
  try {
    return openSync(path, constants.O_WRONLY | constants.O_DIRECT);
  } catch {
    // The filesystem has no direct I/O (e.g. some FUSE ones): every write goes through the page cache.
    return undefined;
  }
}

function write(data: Uint8Array, position: number): number {
  if (buffered === undefined) throw new Error('no file is open');
  let done = 0;
  if (direct !== undefined && data.byteOffset % DIRECT_ALIGN === 0 && position % DIRECT_ALIGN === 0) {
    const aligned = data.length - (data.length % DIRECT_ALIGN);
    try {
      while (done < aligned) done += writeSync(direct, data, done, aligned - done, position + done);
    } catch (error) {
      // Refused before any byte moved: EINVAL when the memory is not aligned for the device (a plain
      // SharedArrayBuffer is not page-aligned), or a filesystem that opens O_DIRECT but will not write
      // it. Everything from here goes through the page cache, which reports a real failure again.
      if (done > 0) throw error;
      closeSync(direct);
      direct = undefined;
    }
  }
  while (done < data.length) {
    const length = Math.min(WRITE_SLICE_BYTES, data.length - done);
    done += writeSync(buffered, data, done, length, position + done);
  }
  return done;
}
