import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runScopedChild, scopedChildAvailable } from './scoped-child.fixture.ts';

const linux = process.platform === 'linux' && scopedChildAvailable;

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
  const child = runScopedChild('./scoped-lock-child.ts', dir, [dir, mode]);
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

it.runIf(linux)('takes over a lock whose holder exited but was not collected yet (a zombie)', async () => {
  // The child exits at once and its parent never waits for it, so it stays a zombie. Perl (always
  // on Debian) rather than sh: dash may reap a finished background job before its `exec`, and
  // then there is no zombie to probe. SIGCHLD is reset first: Deno starts children with it
  // ignored, which would have the kernel reap at once.
  const script = '$| = 1; my $pid = fork() // die; exit 0 if $pid == 0; print "$pid\\n"; sleep 30;';
  const parent = spawn('env', ['--default-signal=CHLD', 'perl', '-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const [line] = await once(parent.stdout, 'data');
    const pid = Number(String(line).trim());
    const state = async () => (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.charAt(0);
    while ((await state()) !== 'Z') await new Promise((resolve) => setTimeout(resolve, 10));
    await writeFile(
      join(dir, 'lock'),
      `${JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    expect(takeLockScoped('probe')).toBe('taken');
  } finally {
    parent.kill('SIGKILL');
  }
});

it.runIf(linux)('leaves a live holder’s lock alone', async () => {
  const holder = { pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' };
  await writeFile(join(dir, 'lock'), `${JSON.stringify(holder)}\n`);
  expect(takeLockScoped('probe')).toMatch(`in use by process ${process.pid}`);
});
