import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LIBC_PATHS } from './libc-calls.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const DENO = join(REPO, 'node_modules', '.bin', 'deno');
const CHILD = fileURLToPath(new URL('./scoped-lock-child.ts', import.meta.url));
const linux = process.platform === 'linux';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-process-probe-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function takeLockScoped(mode: 'probe' | 'none'): string {
  const child = spawnSync(
    DENO,
    [
      'run',
      '--no-lock',
      '--cached-only',
      '--node-modules-dir=manual',
      '--no-prompt',
      `--allow-read=${REPO},${dir}`,
      `--allow-write=${dir}`,
      `--allow-ffi=${LIBC_PATHS.filter((path) => existsSync(path)).join(',')}`,
      '--allow-sys',
      CHILD,
      dir,
      mode,
    ],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } },
  );
  expect(child.stderr).toBe('');
  return (JSON.parse(child.stdout) as { outcome: string }).outcome;
}

it.runIf(linux)('takes over a lock whose holder died, under a Star’s scoped permissions', async () => {
  const holder = { pid: deadPid(), host: hostname(), since: '2026-01-01T00:00:00.000Z' };
  await writeFile(join(dir, 'lock'), `${JSON.stringify(holder)}\n`);
  // Without the probe, Deno refuses /proc and kill(pid, 0): the lock is never broken on a guess.
  expect(takeLockScoped('none')).toMatch(`in use by process ${holder.pid}`);
  expect(takeLockScoped('probe')).toBe('taken');
});

it.runIf(linux)('leaves a live holder’s lock alone', async () => {
  const holder = { pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' };
  await writeFile(join(dir, 'lock'), `${JSON.stringify(holder)}\n`);
  expect(takeLockScoped('probe')).toMatch(`in use by process ${process.pid}`);
});
