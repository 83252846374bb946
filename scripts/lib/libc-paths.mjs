// Where libc may be, as apps/star/src/native/libc-calls.ts tries them: Deno checks the path handed
// to dlopen against --allow-ffi, so the launchers allow the ones that exist here.
import { existsSync } from 'node:fs';

const LIBC_PATHS = [
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib/aarch64-linux-gnu/libc.so.6',
  '/usr/lib64/libc.so.6',
  '/lib64/libc.so.6',
];

export function libcPaths() {
  return LIBC_PATHS.filter((path) => existsSync(path));
}
