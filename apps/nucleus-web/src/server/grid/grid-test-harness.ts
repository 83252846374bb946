import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../../../..');
const STAR_WRAPPER = path.join(REPO_ROOT, 'scripts', 'star.mjs');

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), `orbit-grid-${prefix}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A real `orbit-star` process started through the repo's wrapper (and so with its Deno permissions). */
export interface StarProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** SIGKILL to the wrapper and Deno together (they share a process group). */
  kill(): void;
}

/**
 * Stars that died of an uncaught error (Deno prints "error: Uncaught"), not killed by a test: the
 * next `waitFor` fails at once with the Star's output instead of timing out on a push that can no
 * longer finish.
 */
const crashes: string[] = [];

/** ORBIT_TEST_STAR_LOGS=DIR keeps every Star's output in DIR, one timestamped file per process. */
const LOG_DIR = process.env.ORBIT_TEST_STAR_LOGS;

export function startStar(args: readonly string[], cwd: string): StarProcess {
  const child = spawn(process.execPath, [STAR_WRAPPER, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, INIT_CWD: cwd, NO_COLOR: '1' },
  });
  let output = '';
  let killed = false;
  const logFile = LOG_DIR && path.join(LOG_DIR, `${Date.now()}-${child.pid}-${args[0] ?? 'star'}.log`);
  if (LOG_DIR) mkdirSync(LOG_DIR, { recursive: true });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (logFile) appendFileSync(logFile, `${new Date().toISOString()} ${chunk.toString()}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      if (!killed && output.includes('error: Uncaught')) {
        crashes.push(
          `orbit-star ${args.join(' ')} (in ${cwd}) exited ${code ?? signal}:\n${output.slice(-3000)}`,
        );
      }
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return {
    child,
    output: () => output,
    exited,
    kill() {
      killed = true;
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}

/** Runs `orbit-star` to completion. */
export async function runStar(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | string; output: string }> {
  const star = startStar(args, cwd);
  const code = await star.exited;
  return { code, output: star.output() };
}

/** Polls `check` until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const crash = crashes.shift();
    if (crash !== undefined) throw new Error(`a Star crashed while waiting for ${what}: ${crash}`);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
