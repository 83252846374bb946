/**
 * The few libc calls a Star needs where Deno's own API refuses it: Deno creates symlinks only with
 * unscoped --allow-read/--allow-write, and a Star's are scoped to its allowed roots; it keeps /proc
 * from a Star; and it has no madvise. Every path call is relative to a directory descriptor
 * (`*at`), so no path is walked twice and nothing is followed.
 * Linux only (x86_64 and aarch64): flag values and the libc path differ elsewhere.
 */

/** Deno's FFI surface, the part used here (the Star is type-checked without Deno's types). */
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: LibcSymbols; close(): void };
  readonly build: { readonly os: string; readonly arch: string };
}

type Buffer8 = Uint8Array | Int32Array | BigInt64Array;
type PointerValue = object | null;

interface LibcSymbols {
  openat(dirfd: number, path: Buffer8, flags: number): number;
  close(fd: number): number;
  symlinkat(target: Buffer8, dirfd: number, path: Buffer8): number;
  readlinkat(dirfd: number, path: Buffer8, buffer: Buffer8, size: bigint): number | bigint;
  renameat(fromDir: number, from: Buffer8, toDir: number, to: Buffer8): number;
  unlinkat(dirfd: number, path: Buffer8, flags: number): number;
  utimensat(dirfd: number, path: Buffer8, times: Buffer8, flags: number): number;
  fchownat(dirfd: number, path: Buffer8, uid: number, gid: number, flags: number): number;
  fsync(fd: number): number;
  kill(pid: number, signal: number): number;
  read(fd: number, buffer: Buffer8, size: bigint): number | bigint;
  // The address as an integer: a pointer argument would need unscoped --allow-ffi.
  madvise(address: bigint, length: bigint, advice: number): number;
  __errno_location(): PointerValue;
  // Reading errno through UnsafePointerView needs unscoped --allow-ffi; copying it with libc does not.
  memcpy(into: Buffer8, from: PointerValue, size: bigint): PointerValue;
}

const SYMBOLS = {
  openat: { parameters: ['i32', 'buffer', 'i32'], result: 'i32' },
  close: { parameters: ['i32'], result: 'i32' },
  symlinkat: { parameters: ['buffer', 'i32', 'buffer'], result: 'i32' },
  readlinkat: { parameters: ['i32', 'buffer', 'buffer', 'usize'], result: 'isize' },
  renameat: { parameters: ['i32', 'buffer', 'i32', 'buffer'], result: 'i32' },
  unlinkat: { parameters: ['i32', 'buffer', 'i32'], result: 'i32' },
  utimensat: { parameters: ['i32', 'buffer', 'buffer', 'i32'], result: 'i32' },
  fchownat: { parameters: ['i32', 'buffer', 'u32', 'u32', 'i32'], result: 'i32' },
  fsync: { parameters: ['i32'], result: 'i32' },
  kill: { parameters: ['i32', 'i32'], result: 'i32' },
  read: { parameters: ['i32', 'buffer', 'usize'], result: 'isize' },
  madvise: { parameters: ['u64', 'u64', 'i32'], result: 'i32' },
  __errno_location: { parameters: [], result: 'pointer' },
  memcpy: { parameters: ['buffer', 'pointer', 'usize'], result: 'pointer' },
} as const;

/**
 * Where glibc lives on the Linux distributions a Star runs on. `scripts/star.mjs` grants
 * --allow-ffi for the same list (Deno checks the path given to dlopen).
 */
export const LIBC_PATHS = [
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib/aarch64-linux-gnu/libc.so.6',
  '/usr/lib64/libc.so.6',
  '/lib64/libc.so.6',
] as const;

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
const UTIME_NOW = 2 ** 30 - 1;

/** open(2) flags that differ between the two architectures. */
const OPEN_FLAGS: Record<string, { directory: number; noFollow: number }> = {
  x86_64: { directory: 0o200000, noFollow: 0o400000 },
  aarch64: { directory: 0o40000, noFollow: 0o100000 },
};
const O_CLOEXEC = 0o2000000;
const MADV_DONTNEED = 4;

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  3: 'ESRCH',
  13: 'EACCES',
  17: 'EEXIST',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  28: 'ENOSPC',
  30: 'EROFS',
  36: 'ENAMETOOLONG',
  39: 'ENOTEMPTY',
  40: 'ELOOP',
  95: 'EOPNOTSUPP',
};

/** A failed libc call: `code` as node:fs spells it, so `isErrno` from the engine matches it too. */
export class LibcError extends Error {
  override readonly name = 'LibcError';
  readonly code: string;
  readonly errno: number;

  constructor(call: string, path: string, errno: number) {
    const code = ERRNO_NAMES[errno] ?? `errno ${errno}`;
    super(`${call} ${JSON.stringify(path)} failed: ${code}`);
    this.code = code;
    this.errno = errno;
  }
}

export interface Libc {
  /** Opens a directory: `name` relative to `dirfd` (or absolute), never following a final symlink. */
  openDirectory(dirfd: number, name: string): number;
  close(fd: number): void;
  /** The link's target, or undefined when `name` does not exist (EINVAL: it exists, not a link). */
  readLink(dirfd: number, name: string): string | undefined;
  symlink(target: string, dirfd: number, name: string): void;
  rename(dirfd: number, from: string, to: string): void;
  unlink(dirfd: number, name: string): void;
  /** Sets the entry's own mtime (atime: now), never the mtime of what a link points to. */
  setMtime(dirfd: number, name: string, mtimeMs: number): void;
  /** Sets the entry's own owner, never that of what a link points to. */
  chown(dirfd: number, name: string, uid: number, gid: number): void;
  fsync(fd: number): void;
  /**
   * Whether the process runs: kill(pid, 0) finds it (EPERM: owned by another user), and it is not a
   * zombie, which has exited and waits only for its parent (or init) to collect its status.
   */
  processExists(pid: number): boolean;
  /** A file of /proc, read whole (its size is unknown beforehand), or undefined when it cannot be. */
  readProcFile(path: string): string | undefined;
  /**
   * madvise(MADV_DONTNEED) on `length` bytes from `address`: the pages leave this process's page
   * tables. Only for mappings whose pages the file alone holds (see code-pages.ts). Whether it did.
   */
  dropPages(address: bigint, length: bigint): boolean;
}

/** libc through Deno's FFI, or why it cannot be had here (not Deno, not Linux, no libc found). */
export function openLibc(): { libc: Libc } | { unavailable: string } {
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return { unavailable: 'not running under Deno' };
  if (deno.build.os !== 'linux')
    return {
      unavailable: `the Star calls libc on Linux only; it runs on ${deno.build.os}`,
    };
  const flags = OPEN_FLAGS[deno.build.arch];
  if (flags === undefined) return { unavailable: `no libc flag table for ${deno.build.arch}` };
  const errors: string[] = [];
  for (const path of LIBC_PATHS) {
    try {
      return { libc: libcOf(deno.dlopen(path, SYMBOLS).symbols, flags) };
    } catch (error) {
      errors.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { unavailable: `cannot load libc (${errors.join('; ')})` };
}

function libcOf(c: LibcSymbols, flags: { directory: number; noFollow: number }): Libc {
  const encoder = new TextEncoder();
  const cString = (text: string) => encoder.encode(`${text}\0`);
  const errnoCell = new Int32Array(1);
  const errno = () => {
    c.memcpy(errnoCell, c.__errno_location(), 4n);
    return errnoCell[0] ?? 0;
  };
  const check = (result: number, call: string, path: string) => {
    if (result < 0) throw new LibcError(call, path, errno());
    return result;
  };
  const linkBuffer = new Uint8Array(4097);
  /** Deno refuses /proc to a Star: its files are read through libc, until read says the end. */
  const readProcFile = (path: string): string | undefined => {
    const fd = c.openat(AT_FDCWD, cString(path), O_CLOEXEC);
    if (fd < 0) return undefined;
    try {
      const decoder = new TextDecoder();
      const buffer = new Uint8Array(64 * 1024);
      let text = '';
      for (;;) {
        const length = Number(c.read(fd, buffer, BigInt(buffer.length)));
        if (length < 0) return undefined;
        if (length === 0) return text + decoder.decode();
        text += decoder.decode(buffer.subarray(0, length), { stream: true });
      }
    } finally {
      c.close(fd);
    }
  };
  /** State `Z` (or `X`) in /proc/<pid>/stat. */
  const isZombie = (pid: number): boolean => {
    const text = readProcFile(`/proc/${pid}/stat`) ?? '';
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last ")".
    const state = text.charAt(text.lastIndexOf(')') + 2);
    return state === 'Z' || state === 'X';
  };
  return {
    openDirectory(dirfd, name) {
      const open = flags.directory | flags.noFollow | O_CLOEXEC;
      return check(c.openat(dirfd, cString(name), open), 'open', name);
    },
    close(fd) {
      c.close(fd);
    },
    readLink(dirfd, name) {
      const length = Number(c.readlinkat(dirfd, cString(name), linkBuffer, BigInt(linkBuffer.length)));
      if (length < 0) {
        const code = errno();
        if (code === 2) return undefined;
        throw new LibcError('readlink', name, code);
      }
      if (length >= linkBuffer.length) throw new LibcError('readlink', name, 36);
      return new TextDecoder().decode(linkBuffer.subarray(0, length));
    },
    symlink(target, dirfd, name) {
      check(c.symlinkat(cString(target), dirfd, cString(name)), 'symlink', name);
    },
    rename(dirfd, from, to) {
      check(c.renameat(dirfd, cString(from), dirfd, cString(to)), 'rename', from);
    },
    unlink(dirfd, name) {
      check(c.unlinkat(dirfd, cString(name), 0), 'unlink', name);
    },
    setMtime(dirfd, name, mtimeMs) {
      const seconds = Math.floor(mtimeMs / 1000);
      const nanos = Math.round((mtimeMs - seconds * 1000) * 1e6);
      // struct timespec[2] { atime, mtime }, each { i64 tv_sec, i64 tv_nsec } on 64-bit Linux.
      const times = new BigInt64Array([0n, BigInt(UTIME_NOW), BigInt(seconds), BigInt(nanos)]);
      check(c.utimensat(dirfd, cString(name), times, AT_SYMLINK_NOFOLLOW), 'utimensat', name);
    },
    chown(dirfd, name, uid, gid) {
      check(c.fchownat(dirfd, cString(name), uid, gid, AT_SYMLINK_NOFOLLOW), 'chown', name);
    },
    fsync(fd) {
      check(c.fsync(fd), 'fsync', `fd ${fd}`);
    },
    processExists(pid) {
      if (c.kill(pid, 0) !== 0) {
        const code = errno();
        if (code === 3) return false;
        if (code !== 1) throw new LibcError('kill', `pid ${pid}`, code);
      }
      return !isZombie(pid);
    },
    readProcFile,
    dropPages(address, length) {
      return c.madvise(address, length, MADV_DONTNEED) === 0;
    },
  };
}
