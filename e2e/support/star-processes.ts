import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

const root = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A real Star process started with `npm run -s star -- …`, as an operator would. */
export interface StarProcess {
  output(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** Per-test Star processes and a temp folder; the fixture stops every process and removes the folder. */
export interface StarHost {
  /** This test's temp folder (Star state, allowed roots). */
  readonly dir: string;
  /** Starts `npm run -s star -- <args>` from the repo root. */
  start(args: readonly string[]): StarProcess;
  /** Runs a command to its end; fails with its output when it exits non-zero. */
  run(args: readonly string[]): Promise<string>;
}

/**
 * Turns the join command the UI shows (`orbit-star join …`) into arguments for the repo's wrapper:
 * only the program name changes, every flag is kept as shown.
 */
export function joinArgsFromCommand(command: string): string[] {
  const [program, ...args] = command.trim().split(/\s+/);
  if (program !== 'orbit-star' || args[0] !== 'join')
    throw new Error(`the join command shown is not "orbit-star join …": ${command}`);
  return args;
}

function spawnStar(args: readonly string[]): { child: ChildProcess; star: StarProcess } {
  // Detached: npm, the wrapper and Deno share a process group that stopping ends together.
  const child = spawn(npm, ['run', '-s', 'star', '--', ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    star: { output: () => output, exited },
  };
}

/** SIGTERM to the group (a Star closes its links), SIGKILL if it is still there after a grace period. */
async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5_000).unref());
  if ((await Promise.race([exited, grace])) === 'late') signalGroup('SIGKILL');
  await exited;
}

export const test = base.extend<{ starHost: StarHost }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured.
  starHost: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'orbit-e2e-stars-'));
    const started: { child: ChildProcess; star: StarProcess }[] = [];
    const start = (args: readonly string[]) => {
      const spawned = spawnStar(args);
      started.push(spawned);
      return spawned.star;
    };
    try {
      await use({
        dir,
        start,
        async run(args) {
          const star = start(args);
          const code = await star.exited;
          if (code !== 0) throw new Error(`star ${args[0]} exited with ${code}:\n${star.output()}`);
          return star.output();
        },
      });
    } finally {
      await Promise.all(started.map(({ child, star }) => stop(child, star.exited)));
      await rm(dir, { recursive: true, force: true });
    }
  },
});

/** A port free right now on loopback, for a Star's data plane. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free loopback port');
  return address.port;
}

/** SHA-256 of every file below `folder`, by relative path: two trees are equal when these are. */
export async function treeHashes(folder: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
    hashes[path.relative(folder, full)] = hash.digest('hex');
  }
  return hashes;
}
