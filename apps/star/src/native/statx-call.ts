import { LIBC_PATHS } from './libc-calls.ts';

/**
 * statx(2) through Deno's FFI, for the one field Deno rounds away: Deno 2.9 reports a file's change
 * time (ctime) in whole seconds, so a file rewritten and given its mtime back within the same second
 * would look untouched. Opened on its own, so a libc without statx (glibc < 2.28) costs only this.
 */
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: StatxSymbols; close(): void };
  readonly build: { readonly os: string };
}

interface StatxSymbols {
  statx(dirfd: number, path: Uint8Array, flags: number, mask: number, buffer: Uint8Array): number;
}

const SYMBOLS = { statx: { parameters: ['i32', 'buffer', 'i32', 'u32', 'buffer'], result: 'i32' } } as const;

const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
/** STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE: all must come back. */
const WANTED = 0x40 | 0x80 | 0x100 | 0x200;
/** `struct statx` is the same on every Linux architecture: 256 bytes, little-endian here. */
const STATX_BYTES = 256;

export interface StatxFields {
  readonly ino: bigint;
  readonly size: bigint;
  /** `major:minor` of the device holding the file. */
  readonly dev: string;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

export type Statx = (path: string) => StatxFields | undefined;

/** The call, or why it cannot be had here (not Deno, not Linux, no libc with statx). */
export function openStatx(): { statx: Statx } | { unavailable: string } {
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return { unavailable: 'not running under Deno' };
  if (deno.build.os !== 'linux')
    return { unavailable: `statx is Linux only; this Star runs on ${deno.build.os}` };
  const errors: string[] = [];
  for (const path of LIBC_PATHS) {
    try {
      return { statx: statxOf(deno.dlopen(path, SYMBOLS).symbols) };
    } catch (error) {
      errors.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { unavailable: `cannot load statx from libc (${errors.join('; ')})` };
}

function statxOf(c: StatxSymbols): Statx {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(STATX_BYTES);
  const view = new DataView(buffer.buffer);
  const time = (at: number): bigint =>
    view.getBigInt64(at, true) * 1_000_000_000n + BigInt(view.getUint32(at + 8, true));
  // A missing file, a denied path or a kernel that leaves a field out all mean: no identity.
  return (path) => {
    if (c.statx(AT_FDCWD, encoder.encode(`${path}\0`), AT_SYMLINK_NOFOLLOW, WANTED, buffer) !== 0)
      return undefined;
    if ((view.getUint32(0, true) & WANTED) !== WANTED) return undefined;
    return {
      ino: view.getBigUint64(32, true),
      size: view.getBigUint64(40, true),
      ctimeNs: time(96),
      mtimeNs: time(112),
      dev: `${view.getUint32(136, true)}:${view.getUint32(140, true)}`,
    };
  };
}
