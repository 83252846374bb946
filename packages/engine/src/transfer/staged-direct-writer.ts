import { openDirectWriter } from './direct-writer.ts';
import type { FileInode } from './file-inode.ts';
import type { PositionalWriter } from './positional-writer.ts';
import { sharedBlocks } from './shared-blocks.ts';

/** A writer for one file written front to back in pieces of any size and alignment. */
export interface StagedWriter extends PositionalWriter {
  /** File bytes before this offset are written or being written; later ones are only staged. */
  readonly submittedUpTo: number;
  /** Writes what is staged now, so every write made so far settles. */
  flush(): Promise<void>;
}

const ALIGN = 4096;

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  // Observed by whoever awaits a write; unobserved ones must not become unhandled rejections.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Direct I/O for a file that arrives in pieces cut anywhere (a data-plane stream's chunks, views
 * of socket reads): the pieces are copied into two page-aligned blocks of `blockBytes`, and each
 * full block goes to the disk with O_DIRECT from a worker (direct-writer.ts), skipping the page
 * cache's fresh pages, the largest kernel cost of a first copy here. The copy costs a memcpy per
 * byte; the caller's buffer is free once `write` has copied it, but its promise settles only once
 * the block holding its last byte is written, so a checkpoint's fdatasync after it covers it.
 * `flush` writes a partial block and keeps it: when the block fills, it is written again whole,
 * so every later block stays aligned. Undefined where direct writes are unavailable (Node).
 */
export function openStagedDirectWriter(
  path: string,
  options: { readonly blockBytes: number; readonly inode?: FileInode },
): StagedWriter | undefined {
  const writer = openDirectWriter(path, options.inode);
  if (writer === undefined) return undefined;
  const blockBytes = Math.max(ALIGN, Math.floor(options.blockBytes / ALIGN) * ALIGN);
  const blocks = sharedBlocks(2, blockBytes) as [Uint8Array, Uint8Array];
  /** The last write of each block: it must finish before the block is filled again. */
  const lastWrite: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
  /** Bytes were staged since the current block was last written. */
  let unwritten = false;
  let slot: 0 | 1 = 0;
  let fill = 0;
  let blockStart = 0;
  /** Settles when the bytes staged in the current block since its last flush are written. */
  let staged = deferred();
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;

  /** Writes the current block's first `fill` bytes; a full block is then handed over and the other one taken. */
  const submit = (): void => {
    const waiting = staged;
    const done = writer.write((blocks[slot] as Uint8Array).subarray(0, fill), blockStart);
    done.then(waiting.resolve, waiting.reject);
    lastWrite[slot] = done;
    done.catch(() => undefined);
    staged = deferred();
    unwritten = false;
    if (fill === blockBytes) {
      blockStart += blockBytes;
      fill = 0;
      slot = slot === 0 ? 1 : 0;
    }
  };

  /** Copies `data` in; returns (wrapped, so the queue does not wait for it) when its last byte is written. */
  const stage = async (data: Uint8Array, position: number): Promise<{ written: Promise<void> }> => {
    if (position !== blockStart + fill) {
      throw new Error(`staged writes go front to back: ${position} asked for, ${blockStart + fill} next`);
    }
    let done = 0;
    let written = staged.promise;
    while (done < data.length) {
      if (fill === 0) await lastWrite[slot];
      const take = Math.min(blockBytes - fill, data.length - done);
      (blocks[slot] as Uint8Array).set(data.subarray(done, done + take), fill);
      fill += take;
      unwritten = true;
      done += take;
      written = staged.promise;
      if (fill === blockBytes) submit();
    }
    return { written };
  };

  /** Writes what is staged and waits for every write so far (the worker writes in order). */
  const writeStaged = async (): Promise<void> => {
    if (unwritten) submit();
    await Promise.all(lastWrite);
  };

  const enqueue = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    get submittedUpTo() {
      return blockStart;
    },
    async write(data, position) {
      if (closing) throw new Error(`${path} is closed`);
      const { written } = await enqueue(() => stage(data, position));
      await written;
    },
    flush: () => enqueue(writeStaged),
    close() {
      closing ??= enqueue(async () => {
        try {
          await writeStaged();
        } finally {
          await writer.close();
        }
      });
      return closing;
    },
  };
}
