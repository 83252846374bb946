import { LIBC_PATHS } from './libc-calls.ts';

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
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: CodePageSymbols; close(): void };
  readonly build: { readonly os: string };
}

type Buffer8 = Uint8Array;

interface CodePageSymbols {
  openat(dirfd: number, path: Buffer8, flags: number): number;
  read(fd: number, buffer: Buffer8, size: bigint): number | bigint;
  readlinkat(dirfd: number, path: Buffer8, buffer: Buffer8, size: bigint): number | bigint;
  close(fd: number): number;
  // The address as an integer: a pointer argument would need unscoped --allow-ffi.
  madvise(address: bigint, length: bigint, advice: number): number;
}

const SYMBOLS = {
  openat: { parameters: ['i32', 'buffer', 'i32'], result: 'i32' },
  read: { parameters: ['i32', 'buffer', 'usize'], result: 'isize' },
  readlinkat: { parameters: ['i32', 'buffer', 'buffer', 'usize'], result: 'isize' },
  close: { parameters: ['i32'], result: 'i32' },
  madvise: { parameters: ['u64', 'u64', 'i32'], result: 'i32' },
} as const;

const AT_FDCWD = -100;
const O_CLOEXEC = 0o2000000;
const MADV_DONTNEED = 4;

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
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return { unavailable: 'not running under Deno' };
  if (deno.build.os !== 'linux')
    return {
      unavailable: `code pages are trimmed through /proc on Linux; this Star runs on ${deno.build.os}`,
    };
  const errors: string[] = [];
  for (const path of LIBC_PATHS) {
    try {
      const { symbols } = deno.dlopen(path, SYMBOLS);
      return { trim: () => trimWith(symbols) };
    } catch (error) {
      errors.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { unavailable: `cannot load libc (${errors.join('; ')})` };
}

function trimWith(c: CodePageSymbols): number {
  const executable = readLink(c, '/proc/self/exe');
  const smaps = readText(c, '/proc/self/smaps');
  if (executable === undefined || smaps === undefined) return 0;
  let kib = 0;
  for (const mapping of trimmableMappings(parseSmaps(smaps), executable)) {
    if (c.madvise(mapping.start, mapping.end - mapping.start, MADV_DONTNEED) === 0) kib += mapping.rssKiB;
  }
  return kib;
}

const encoder = new TextEncoder();
const cString = (text: string): Uint8Array => encoder.encode(`${text}\0`);

function readLink(c: CodePageSymbols, path: string): string | undefined {
  const buffer = new Uint8Array(4096);
  const length = Number(c.readlinkat(AT_FDCWD, cString(path), buffer, BigInt(buffer.length)));
  if (length <= 0 || length >= buffer.length) return undefined;
  return new TextDecoder().decode(buffer.subarray(0, length));
}

/** A /proc file, whose size stat cannot tell: read until the end. */
function readText(c: CodePageSymbols, path: string): string | undefined {
  const fd = c.openat(AT_FDCWD, cString(path), O_CLOEXEC);
  if (fd < 0) return undefined;
  try {
    const parts: Uint8Array[] = [];
    for (;;) {
      const buffer = new Uint8Array(64 * 1024);
      const length = Number(c.read(fd, buffer, BigInt(buffer.length)));
      if (length < 0) return undefined;
      if (length === 0) break;
      parts.push(buffer.subarray(0, length));
    }
    const decoder = new TextDecoder();
    let text = '';
    for (const [index, part] of parts.entries())
      text += decoder.decode(part, { stream: index < parts.length - 1 });
    return text;
  } finally {
    c.close(fd);
  }
}
