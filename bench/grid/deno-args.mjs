// How the grid bench runs its Deno scripts: the repo's node_modules as is, no lock file writes, and
// only the permissions a Star has (files, loopback, native hashing/zstd addons and libc, `sync`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The libc paths scripts/star.mjs grants (statx for the receiver's chunk-list cache).
const LIBC_PATHS = [
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib/aarch64-linux-gnu/libc.so.6',
  '/usr/lib64/libc.so.6',
  '/lib64/libc.so.6',
];

export function denoArgs(root) {
  return [
    'run',
    '--no-lock',
    '--cached-only',
    '--node-modules-dir=manual',
    '--allow-read',
    '--allow-write',
    '--allow-env',
    '--allow-net=127.0.0.1',
    '--allow-run=sync',
    `--allow-ffi=${[join(root, 'node_modules'), ...LIBC_PATHS.filter((path) => existsSync(path))].join(',')}`,
    '--allow-sys',
  ];
}
