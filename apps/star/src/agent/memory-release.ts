import process from 'node:process';
import { type CodePageTrim, openCodePageTrim } from '../native/code-pages.ts';
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
 * Hands memory back once the Star is quiet: a full collection frees the buffers of finished socket
 * and file reads, whose native pages glibc would otherwise keep (malloc_trim), and the deno
 * executable's code pages that start-up or a transfer touched leave the working set until used
 * again (code-pages.ts). Linux with glibc only; elsewhere each part does nothing and says why once.
 */
export interface MemoryRelease {
  /** A transfer ended: release when nothing has run for a moment. */
  soon(): void;
  stop(): void;
}

export function createMemoryRelease(options: MemoryReleaseOptions): MemoryRelease {
  let trim: MallocTrim | null | undefined;
  let trimCode: CodePageTrim | null | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    const opened = openMallocTrim();
    trim = 'trim' in opened ? opened.trim : null;
    if (!('trim' in opened)) options.debug(`freed memory stays with the allocator: ${opened.unavailable}`);
    const code = openCodePageTrim();
    trimCode = 'trim' in code ? code.trim : null;
    if (!('trim' in code)) options.debug(`code pages stay resident: ${code.unavailable}`);
  };
  const collect = (): void => {
    timer = undefined;
    if (options.busy()) return;
    if (trim === undefined) open();
    if (trim === null && trimCode === null) return;
    const before = process.memoryUsage().rss;
    // Exposed by the launcher (--expose-gc); without it only what is already freed goes back.
    (globalThis as { gc?: () => void }).gc?.();
    timer = setTimeout(() => release(before), options.sweptMs ?? SWEPT_MS);
  };
  const release = (before: number): void => {
    timer = undefined;
    if (options.busy()) return;
    trim?.();
    const codeKiB = trimCode?.() ?? 0;
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const code = trimCode ? `, ${mib(codeKiB * 1024)} MiB of code pages out of the working set` : '';
    options.debug(`returned memory: RSS ${mib(before)} → ${mib(process.memoryUsage().rss)} MiB${code}`);
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
