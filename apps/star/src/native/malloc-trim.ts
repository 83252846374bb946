import { LIBC_PATHS } from './libc-calls.ts';

/**
 * glibc's malloc_trim(0) through Deno's FFI: hands the free pages of every malloc arena back to the
 * kernel. Deno allocates each socket and file read natively; glibc keeps those pages after they are
 * freed, so a receiving Star held 140–236 MiB after a 1 GiB push with no large buffer reachable.
 * Opened on its own: musl and other libcs have no malloc_trim, and lack only this.
 */
interface DenoFfi {
  dlopen(path: string, symbols: typeof SYMBOLS): { symbols: TrimSymbols; close(): void };
  readonly build: { readonly os: string };
}

interface TrimSymbols {
  malloc_trim(pad: bigint): number;
}

const SYMBOLS = { malloc_trim: { parameters: ['usize'], result: 'i32' } } as const;

/** Returns whether any memory went back to the kernel. */
export type MallocTrim = () => boolean;

/** The call, or why it cannot be had here (not Deno, not Linux, no glibc). */
export function openMallocTrim(): { trim: MallocTrim } | { unavailable: string } {
  const deno = Reflect.get(globalThis, 'Deno') as DenoFfi | undefined;
  if (typeof deno?.dlopen !== 'function') return { unavailable: 'not running under Deno' };
  if (deno.build.os !== 'linux')
    return { unavailable: `malloc_trim is glibc's, on Linux; this Star runs on ${deno.build.os}` };
  const errors: string[] = [];
  for (const path of LIBC_PATHS) {
    try {
      const { symbols } = deno.dlopen(path, SYMBOLS);
      return { trim: () => symbols.malloc_trim(0n) === 1 };
    } catch (error) {
      errors.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { unavailable: `no glibc malloc_trim (${errors.join('; ')})` };
}
