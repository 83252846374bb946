import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadManifest } from '../manifest/load-manifest.ts';
import { makeTempDir, randomData, writeTree } from '../transfer/transfer-test-fixtures.ts';
import { runManifest } from './run-manifest.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('resume'));
});
afterEach(() => cleanup());

const CHILD = fileURLToPath(new URL('./resume-test-child.ts', import.meta.url));
const BIG = 24 * 1024 * 1024;

function spawnChild(args: string[]): ChildProcess {
  // Under Deno the test runs the child with Deno too; under Node through tsx.
  const runtime = 'Deno' in globalThis ? ['run', '-A', CHILD, ...args] : ['--import', 'tsx', CHILD, ...args];
  return spawn(process.execPath, runtime, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Polls until `ready()` holds; fails early with the child's stderr if it exits first. */
async function waitFor(child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`child exited (${child.exitCode}) early:\n${stderr}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

it('resumes a run killed mid-file: no partial file in place, finished job not redone, file completed', async () => {
  const big = randomData(BIG);
  await writeTree(root, { 'small/one.txt': 'one', 'big/big.bin': big });
  const manifestPath = join(root, 'orbit.manifest.toml');
  await writeFile(
    manifestPath,
    `[defaults]
audit_log = false

[defaults.chunking]
min = 16384
avg = 65536
max = 262144

[[job]]
name = "small"
source = "small"
destination = "out/small"

[[job]]
name = "big"
source = "big"
destination = "out/big"
depends_on = ["small"]
`,
  );
  const marker = join(root, 'frozen');
  const journalPath = join(root, '.orbit', 'journal', 'current.jsonl');
  const child = spawnChild([manifestPath, 'big.bin', String(BIG / 2), marker]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(child, async () => {
    if (!existsSync(marker)) return false;
    const journal = await readFile(journalPath, 'utf8');
    return journal.includes('"t":"chunks","job":"big"');
  });
  child.kill('SIGKILL');
  await exited;

  const target = join(root, 'out', 'big', 'big.bin');
  expect(existsSync(target)).toBe(false);
  expect(existsSync(join(root, 'out', 'big', '.big.bin.orbit-partial'))).toBe(true);

  const summary = await runManifest(await loadManifest(manifestPath, { env: {} }), { auditLogPath: false });
  expect(summary.status).toBe('succeeded');
  expect(summary.resumedFrom).toBeDefined();
  const byName = Object.fromEntries(summary.jobs.map((job) => [job.job, job]));
  expect(byName.small?.status).toBe('resumed-complete');
  expect(byName.small?.counters.filesScanned).toBe(0);
  expect(byName.big?.status).toBe('succeeded');
  expect(byName.big?.counters.bytesWritten).toBeGreaterThan(0);
  // The child froze after half the file; checkpoints every MiB mean at most ~1 MiB more is redone.
  expect(byName.big?.counters.bytesWritten).toBeLessThanOrEqual(BIG / 2 + 2 * 1024 * 1024);

  expect(sha256(await readFile(target))).toBe(sha256(big));
  expect(await readdir(join(root, 'out', 'big'))).toEqual(['big.bin']);
  expect(await readdir(join(root, '.orbit', 'journal'))).toEqual(['last-run.jsonl']);
});
