import process from 'node:process';
import { type MallocTrim, openMallocTrim } from '../native/malloc-trim.ts';

/** Quiet this long before memory is returned: a run's next batch usually follows within it. */
const QUIET_MS = 2000;
/**
 * From the collection to malloc_trim: V8 frees the native memory of collected buffers partly on a
 * background thread (a receiving Star's trim right after gc() returned 30–80 MiB, 500 ms later 110–140).
 */
const SWEPT_MS = 500;

export interface MemoryReleaseOptions {
  /** Whether a transfer runs now: memory is returned only while none does. */
  readonly busy: () => boolean;
  /** Where the outcome goes (the agent's debug lines). */
  readonly debug: (line: string) => void;
  readonly quietMs?: number;
  readonly sweptMs?: number;
}

/**
 * Hands freed memory back to the kernel once the Star is quiet: a full collection frees the buffers
 * of finished socket and file reads, whose native pages glibc would otherwise keep (malloc_trim).
 * Linux with glibc only; elsewhere it does nothing and says why once.
 */
export interface MemoryRelease {
  /** A transfer ended: release when nothing has run for a moment. */
  soon(): void;
  stop(): void;
}

export function createMemoryRelease(options: MemoryReleaseOptions): MemoryRelease {
  let trim: MallocTrim | null | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const collect = (): void => {
    timer = undefined;
    if (options.busy()) return;
    if (trim === undefined) {
      const opened = openMallocTrim();
      trim = 'trim' in opened ? opened.trim : null;
      if (!('trim' in opened)) options.debug(`freed memory stays with the allocator: ${opened.unavailable}`);
    }
    if (trim === null) return;
    const before = process.memoryUsage().rss;
    // Exposed by the launcher (--expose-gc); without it only what is already freed goes back.
    (globalThis as { gc?: () => void }).gc?.();
    timer = setTimeout(() => release(before), options.sweptMs ?? SWEPT_MS);
  };
  const release = (before: number): void => {
    timer = undefined;
    if (options.busy()) return;
    trim?.();
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    options.debug(`returned freed memory: RSS ${mib(before)} → ${mib(process.memoryUsage().rss)} MiB`);
  };
  return {
    soon() {
      clearTimeout(timer);
      timer = setTimeout(collect, options.quietMs ?? QUIET_MS);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
