import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

export { waitFor } from '../wait-for.ts';

/**
 * Runs the real `orbit` CLI the way a user does: `node scripts/orbit.mjs` → `deno run` of
 * apps/star/src/cli/orbit.ts, on real files in a temp folder.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const orbitScript = join(repoRoot, 'scripts', 'orbit.mjs');

export const TEST_AUDIT_KEY = 'orbit-cli-test-key';

export interface OrbitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OrbitOptions {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function orbitEnv(options: OrbitOptions): NodeJS.ProcessEnv {
  // INIT_CWD is what npm sets; a test runner started by npm would otherwise leak its own.
  return { ...process.env, ORBIT_AUDIT_KEY: TEST_AUDIT_KEY, INIT_CWD: options.cwd, ...options.env };
}

/** Starts the CLI in its own process group, so a test can kill the wrapper and Deno together. */
export function spawnOrbit(args: readonly string[], options: OrbitOptions): ChildProcess {
  return spawn(process.execPath, [orbitScript, ...args], {
    cwd: options.cwd,
    env: orbitEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Signals the CLI's whole process group (wrapper and Deno), as a terminal or a crash would. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) throw new Error('the CLI process did not start');
  process.kill(-child.pid, signal);
}

/**
 * Resolves once no process of the CLI's group is left, reaped ones included: the wrapper's exit
 * does not mean Deno is gone, and a lock held by a not-yet-reaped process still looks alive.
 */
export function groupGone(child: ChildProcess): Promise<boolean> {
  if (child.pid === undefined) throw new Error('the CLI process did not start');
  try {
    process.kill(-child.pid, 0);
    return Promise.resolve(false);
  } catch {
    return Promise.resolve(true);
  }
}

export function collect(child: ChildProcess): Promise<OrbitResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function orbit(args: readonly string[], options: OrbitOptions): Promise<OrbitResult> {
  return collect(spawnOrbit(args, options));
}

/** Parses the single JSON document `--json` prints; fails with the CLI's stderr when it is not one. */
export function parseJson<T>(result: OrbitResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

export async function makeTempDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `orbit-cli-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Deterministic bytes (xorshift32 from `seed`), so a failing test can be reproduced exactly. */
export function seededBytes(size: number, seed: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    buffer[i] = state & 0xff;
  }
  return buffer;
}

export async function writeSeededFile(path: string, size: number, seed: number): Promise<void> {
  await writeFile(path, seededBytes(size, seed));
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export async function readTextOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** Small FastCDC sizes keep test files at a few MiB while still spanning many chunks. */
export const TEST_CHUNKING = `[defaults.chunking]
min = 16384
avg = 65536
max = 262144
`;

export const TEST_CHUNK_AVG = 65536;

/** The run summary `orbit run --json` prints (the fields the tests read). */
export interface RunJson {
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly resumedFrom: string | null;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly chunksWritten: number;
  readonly chunksReused: number;
  readonly totals: {
    readonly filesCopied: number;
    readonly filesUpdated: number;
    readonly filesUnchanged: number;
    readonly filesDeleted: number;
  };
  readonly jobs: readonly {
    readonly name: string;
    readonly status: string;
    readonly reason: string | null;
  }[];
  readonly failures: readonly { readonly job: string; readonly path?: string; readonly message: string }[];
}
