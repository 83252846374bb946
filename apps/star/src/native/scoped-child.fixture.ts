import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBC_PATHS } from './libc-calls.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DENO = join(REPO, 'node_modules', '.bin', 'deno');

/** Whether a scoped child can run here: the repo's deno and a libc a Star would load. */
export const scopedChildAvailable = existsSync(DENO) && LIBC_PATHS.some((path) => existsSync(path));

/**
 * Runs `script` (beside this file) under deno with a Star's kind of permissions: read the repo and
 * `folder`, write `folder`, FFI only into libc, heartbeat-style sys access.
 */
export function runScopedChild(
  script: string,
  folder: string,
  args: readonly string[],
): SpawnSyncReturns<string> {
  return spawnSync(
    DENO,
    [
      'run',
      '--no-lock',
      '--cached-only',
      '--node-modules-dir=manual',
      '--no-prompt',
      `--allow-read=${REPO},${folder}`,
      `--allow-write=${folder}`,
      `--allow-ffi=${LIBC_PATHS.filter((path) => existsSync(path)).join(',')}`,
      '--allow-sys',
      fileURLToPath(new URL(script, import.meta.url)),
      ...args,
    ],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } },
  );
}
