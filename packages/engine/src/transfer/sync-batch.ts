import type { FilesystemSync } from './filesystem-sync.ts';

/** What a batch syncs: an open file whose data must be on disk before it is renamed into place. */
export interface DataSyncable {
  syncData(): Promise<void>;
}

interface Waiter {
  readonly file: DataSyncable;
  /** The folder the file is in, when a filesystem sync may cover it. */
  readonly folder: string | undefined;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Holds back the fdatasync of small temp files until the files in flight have all been written,
 * then makes them durable together. On ext4 every fdatasync of a new file commits the journal (or,
 * without one, writes the inode's table block synchronously), and that stalls file creation in the
 * meantime (the temp creates of a tree of small files took 0.5 ms each with syncs interleaved).
 * Where a filesystem sync is installed, one syncfs per folder replaces the batch's fdatasyncs: each
 * inode table block and the disk's cache are flushed once for the batch (20 000 files of 8 KiB:
 * 9–10.5 s with an fdatasync each, 1.8–2.0 s with a syncfs per 32, a probe on this VM). It also
 * flushes whatever else is dirty on that filesystem, which must reach the disk anyway. Each file
 * still reaches the disk before its own rename.
 */
export class SyncBatch {
  readonly #maxFiles: number;
  readonly #syncFilesystems: FilesystemSync | undefined;
  #waiting: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A file arrived since the timer was set: it waits one more turn instead of being reset per file. */
  #arrived = false;

  /**
   * `maxFiles`: start the syncs once this many wait, even if more files are being written.
   * `syncFilesystems`: makes a batch of two or more files durable at once (see above).
   */
  constructor(maxFiles: number, syncFilesystems?: FilesystemSync) {
    this.#maxFiles = maxFiles;
    this.#syncFilesystems = syncFilesystems;
  }

  /**
   * Resolves once `file`'s data is durable; the sync starts when no other file arrives for a turn.
   * `folder` (the file's own folder) lets a filesystem sync cover it.
   */
  sync(file: DataSyncable, folder?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ file, folder, resolve, reject });
      if (this.#waiting.length >= this.#maxFiles) this.#flush();
      // A file still being written reaches `sync` within the current turn of the event loop.
      else if (this.#timer === undefined) this.#timer = setTimeout(this.#turnEnded, 0);
      else this.#arrived = true;
    });
  }

  readonly #turnEnded = (): void => {
    this.#timer = undefined;
    if (!this.#arrived) this.#flush();
    else {
      this.#arrived = false;
      this.#timer = setTimeout(this.#turnEnded, 0);
    }
  };

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#arrived = false;
    const batch = this.#waiting;
    this.#waiting = [];
    const folders = new Set<string>();
    for (const waiter of batch) if (waiter.folder !== undefined) folders.add(waiter.folder);
    const whole = this.#syncFilesystems;
    if (whole === undefined || batch.length < 2 || batch.some((waiter) => waiter.folder === undefined)) {
      eachFile(batch);
      return;
    }
    whole([...folders]).then(
      (synced) => {
        if (!synced) eachFile(batch);
        else for (const waiter of batch) waiter.resolve();
      },
      // A failed filesystem sync says nothing about which file: each is synced and reports its own.
      () => eachFile(batch),
    );
  }
}

function eachFile(batch: readonly Waiter[]): void {
  for (const waiter of batch) waiter.file.syncData().then(waiter.resolve, waiter.reject);
}
