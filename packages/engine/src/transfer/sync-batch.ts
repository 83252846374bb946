/** What a batch syncs: an open file whose data must be on disk before it is renamed into place. */
export interface DataSyncable {
  syncData(): Promise<void>;
}

/**
 * Holds back the fdatasync of small temp files until the files in flight have all been written,
 * then starts their syncs together. On ext4 every fdatasync of a new file commits the journal, and
 * a commit stalls file creation in the meantime (the temp creates of a tree of small files took
 * 0.5 ms each with syncs interleaved); syncs issued together share commits, and the creates of the
 * next files no longer wait behind them. Each file still reaches the disk before its own rename.
 */
export class SyncBatch {
  readonly #maxFiles: number;
  #waiting: { file: DataSyncable; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A file arrived since the timer was set: it waits one more turn instead of being reset per file. */
  #arrived = false;

  /** `maxFiles`: start the syncs once this many wait, even if more files are being written. */
  constructor(maxFiles: number) {
    this.#maxFiles = maxFiles;
  }

  /** Resolves once `file`'s data is durable; the sync starts when no other file arrives for a turn. */
  sync(file: DataSyncable): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ file, resolve, reject });
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
    for (const waiter of batch) waiter.file.syncData().then(waiter.resolve, waiter.reject);
  }
}
