import type { OutgoingFile } from './outgoing-file.ts';

type Settled = { readonly file: OutgoingFile } | { readonly error: unknown };

/**
 * Chunks the next file while the current one is on the wire, so reading and hashing overlap the
 * network instead of adding to it. Holds at most one prepared file beyond the current one.
 */
export class OutgoingPrefetch {
  readonly #prepare: (path: string) => Promise<OutgoingFile>;
  #next: { readonly path: string; readonly settled: Promise<Settled> } | undefined;

  constructor(prepare: (path: string) => Promise<OutgoingFile>) {
    this.#prepare = prepare;
  }

  /** Starts preparing `path` in the background; a different earlier prefetch is dropped. */
  start(path: string | undefined): void {
    if (path === undefined || this.#next?.path === path) return;
    void this.dispose();
    this.#next = {
      path,
      settled: this.#prepare(path).then(
        (file) => ({ file }),
        (error: unknown) => ({ error }),
      ),
    };
  }

  /** The prepared file for `path`, from the background work when it was started for it. */
  async take(path: string): Promise<OutgoingFile> {
    const next = this.#next;
    this.#next = undefined;
    if (next?.path !== path) {
      if (next) void closeSettled(next.settled);
      return this.#prepare(path);
    }
    const settled = await next.settled;
    if ('error' in settled) throw settled.error;
    return settled.file;
  }

  /** Closes a prepared file nobody took. */
  async dispose(): Promise<void> {
    const next = this.#next;
    this.#next = undefined;
    if (next) await closeSettled(next.settled);
  }
}

async function closeSettled(settled: Promise<Settled>): Promise<void> {
  const result = await settled;
  if ('file' in result) await result.file.handle.close().catch(() => undefined);
}
