import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toFsError } from '../scan/fs-error.ts';
import type { ScanEntry } from '../scan/scan-tree.ts';

/** A scanned entry, with its bytes being read already when it is a file worth reading ahead. */
export interface AheadEntry {
  readonly entry: ScanEntry;
  /** The whole file; rejects with the read's error (naming the path) where the entry is awaited. */
  readonly data: Promise<Uint8Array> | undefined;
}

export interface ReadAheadOptions {
  /** The scanned root: entries' paths are relative to it. */
  readonly root: string;
  /** Which entries to read ahead (small files the consumer will read in full anyway). */
  readonly wanted: (entry: ScanEntry) => boolean;
  /** Entries held ahead of the consumer; each wanted one has its read in flight. */
  readonly depth: number;
}

/**
 * Passes `entries` on in order while reading the wanted ones ahead: a consumer that handles one
 * file at a time then waits on the disk once per `depth` files instead of once per file (an open,
 * a read and a close, each a thread hand-off under Deno). Reads still in flight when the consumer
 * stops are waited for, so none outlives it.
 */
export async function* readAhead(
  entries: AsyncIterable<ScanEntry>,
  options: ReadAheadOptions,
): AsyncGenerator<AheadEntry> {
  const queue: AheadEntry[] = [];
  const start = (entry: ScanEntry): AheadEntry => {
    if (!options.wanted(entry)) return { entry, data: undefined };
    const path = join(options.root, entry.path);
    const data = readFile(path).then(
      (bytes) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      (error: unknown) => {
        throw toFsError(error, path, 'read the file');
      },
    );
    // Awaited where the entry is handled; until then a failure must not count as unhandled.
    data.catch(() => undefined);
    return { entry, data };
  };
  try {
    for await (const entry of entries) {
      queue.push(start(entry));
      if (queue.length > options.depth) yield queue.shift() as AheadEntry;
    }
    while (queue.length > 0) yield queue.shift() as AheadEntry;
  } finally {
    for (const { data } of queue) await data?.catch(() => undefined);
  }
}
