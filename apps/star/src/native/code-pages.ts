import { AT_FDCWD, type Libc, openLibc } from './libc-calls.ts';

/**
 * Trims a quiet Star's working set of the deno executable's pages, as Android does for apps in the
 * background and Windows for idle processes: madvise(MADV_DONTNEED) on the executable's mappings
 * that hold no private copy (its code, and read-only data never written), so they leave this
 * process's page tables. The pages stay in the page cache; what the Star runs next faults them
 * back in (a minor fault each, no disk read). An idle Star keeps 20–25 MiB of deno's code resident
 * that start-up and past transfers touched and heartbeats never use again.
 *
 * A mapping with a private copy (relocated data, written after it was mapped) is never touched:
 * MADV_DONTNEED would throw its writes away. /proc/self is read through libc, which Deno refuses
 * to a Star with scoped permissions. Linux only.
 */

/** One mapping of /proc/self/smaps, as far as trimming needs it. */
export interface Mapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly perms: string;
  readonly path: string;
  /** KiB resident, and of those KiB private copies (written since mapped). */
  readonly rssKiB: number;
  readonly anonymousKiB: number;
}

/** The mappings of `smaps` text (the kernel's format: a header line, then `Key: N kB` lines). */
export function parseSmaps(text: string): Mapping[] {
  const mappings: Mapping[] = [];
  let current: { -readonly [K in keyof Mapping]: Mapping[K] } | undefined;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = {
        start: BigInt(`0x${header[1]}`),
        end: BigInt(`0x${header[2]}`),
        perms: header[3] ?? '',
        path: header[4] ?? '',
        rssKiB: 0,
        anonymousKiB: 0,
      };
      mappings.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB$/.exec(line);
    if (field && current) {
      if (field[1] === 'Rss') current.rssKiB = Number(field[2]);
      else current.anonymousKiB = Number(field[2]);
    }
  }
  return mappings;
}

/**
 * The mappings of `executable` that can be dropped and faulted back unchanged: not writable, not
 * shared-writable, and without a private copy of any page. Code (`r-xp`) and read-only data
 * (`r--p`) qualify; relocated data made read-only after the loader wrote it has private copies.
 */
export function trimmableMappings(mappings: readonly Mapping[], executable: string): Mapping[] {
  return mappings.filter(
    (mapping) =>
      mapping.path === executable &&
      (mapping.perms === 'r-xp' || mapping.perms === 'r--p') &&
      mapping.anonymousKiB === 0 &&
      mapping.rssKiB > 0,
  );
}

/** Drops the trimmable pages; returns the KiB that were resident in them. */
export type CodePageTrim = () => number;

/** The trim, or why it cannot be had here (not Deno, not Linux, no libc). */
export function openCodePageTrim(): { trim: CodePageTrim } | { unavailable: string } {
  const opened = openLibc();
  if (!('libc' in opened)) return { unavailable: opened.unavailable };
  return { trim: () => trimWith(opened.libc) };
}

function trimWith(libc: Libc): number {
  let executable: string | undefined;
  try {
    executable = libc.readLink(AT_FDCWD, '/proc/self/exe');
  } catch {
    return 0;
  }
  const smaps = libc.readProcFile('/proc/self/smaps');
  if (executable === undefined || smaps === undefined) return 0;
  let kib = 0;
  for (const mapping of trimmableMappings(parseSmaps(smaps), executable)) {
    if (libc.dropPages(mapping.start, mapping.end - mapping.start)) kib += mapping.rssKiB;
  }
  return kib;
}
