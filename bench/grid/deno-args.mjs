// How the grid bench runs its Deno scripts: the repo's node_modules as is, no lock file writes, and
// only the permissions a Star has (files, loopback, native hashing/zstd addons and libc, `sync`).
import { join } from 'node:path';
import { libcPaths } from '../../scripts/lib/libc-paths.mjs';

export function denoArgs(root) {
  return [
    'run',
    '--no-lock',
    '--cached-only',
    '--node-modules-dir=manual',
    // As scripts/star.mjs: the Star collects garbage itself before it returns freed memory.
    '--v8-flags=--expose-gc',
    '--allow-read',
    '--allow-write',
    '--allow-env',
    '--allow-net=127.0.0.1',
    '--allow-run=sync',
    `--allow-ffi=${[join(root, 'node_modules'), ...libcPaths()].join(',')}`,
    '--allow-sys',
  ];
}
