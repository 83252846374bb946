import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  collect,
  groupGone,
  killGroup,
  makeTempDir,
  orbit,
  parseJson,
  type RunJson,
  readTextOrEmpty,
  sha256Of,
  spawnOrbit,
  TEST_CHUNKING,
  waitFor,
  writeSeededFile,
} from './cli-harness.ts';

const MiB = 1024 * 1024;
const BIG = 48 * MiB + 321;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('resume');
  await mkdir(join(dir.path, 'src', 'small'), { recursive: true });
  await mkdir(join(dir.path, 'src', 'large'), { recursive: true });
  await writeSeededFile(join(dir.path, 'src', 'small', 'notes.txt'), 10_000, 11);
  await writeSeededFile(join(dir.path, 'src', 'large', 'big.bin'), BIG, 12);
  const manifest = [
    '[defaults]',
    'audit_log = "audit.log"',
    '',
    TEST_CHUNKING,
    '[[job]]',
    'name = "small"',
    'source = "src/small"',
    'destination = "out/small"',
    '',
    '[[job]]',
    'name = "large"',
    'source = "src/large"',
    'destination = "out/large"',
    'depends_on = ["small"]',
    '',
  ].join('\n');
  await writeFile(join(dir.path, 'orbit.manifest.toml'), manifest);
});
afterEach(async () => {
  await dir.remove();
});

const journal = () => join(dir.path, '.orbit', 'journal', 'current.jsonl');
const runArgs = ['run', '--manifest', 'orbit.manifest.toml', '--json', '--checkpoint-bytes', '1MiB'];

/** True once the journal holds a durable chunk checkpoint for big.bin (at least `count` of them). */
async function checkpointed(count: number): Promise<boolean> {
  const lines = (await readTextOrEmpty(journal())).split('\n');
  return (
    lines.filter((line) => line.includes('"t":"chunks"') && line.includes('"path":"big.bin"')).length >= count
  );
}

async function partialFiles(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  return (await readdir(folder)).filter((name) => name.includes('orbit-partial'));
}

describe('resume after a crash', () => {
  it('continues a run killed with SIGKILL mid-file without redoing the finished job', async () => {
    const child = spawnOrbit(runArgs, { cwd: dir.path });
    const done = collect(child);
    await waitFor('a chunk checkpoint of big.bin in the journal', () => checkpointed(2));
    killGroup(child, 'SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    await waitFor('the killed CLI processes to be gone', () => groupGone(child));

    // Nothing half-written under the real name; the in-flight temp file waits for the resume.
    expect(existsSync(join(dir.path, 'out', 'large', 'big.bin'))).toBe(false);
    expect(await partialFiles(join(dir.path, 'out', 'large'))).toHaveLength(1);
    expect(existsSync(join(dir.path, 'out', 'small', 'notes.txt'))).toBe(true);

    const resumed = await orbit(runArgs, { cwd: dir.path });
    const summary = parseJson<RunJson>(resumed);
    expect(resumed.code).toBe(0);
    expect(summary.status).toBe('succeeded');
    expect(summary.resumedFrom).not.toBeNull();
    expect(summary.jobs.find((job) => job.name === 'small')?.status).toBe('resumed-complete');
    expect(summary.jobs.find((job) => job.name === 'large')?.status).toBe('succeeded');
    // Under --json the job lines go to stderr; the job it does not redo has its line too.
    expect(resumed.stderr).toContain('✔ small: already finished in the interrupted run, not redone');
    expect(summary.bytesWritten).toBeLessThan(BIG);
    expect(await sha256Of(join(dir.path, 'out', 'large', 'big.bin'))).toBe(
      await sha256Of(join(dir.path, 'src', 'large', 'big.bin')),
    );
    expect(await partialFiles(join(dir.path, 'out', 'large'))).toEqual([]);

    const audit = await orbit(['audit', 'verify', 'audit.log'], { cwd: dir.path });
    expect(audit.code).toBe(0);
  });

  it('does not resume into a symlink put at the temp name after the kill', async () => {
    const child = spawnOrbit(runArgs, { cwd: dir.path });
    const done = collect(child);
    await waitFor('a chunk checkpoint of big.bin in the journal', () => checkpointed(1));
    killGroup(child, 'SIGKILL');
    await done;
    await waitFor('the killed CLI processes to be gone', () => groupGone(child));

    // The temp file moves out of the destination; a link to it takes its name. It holds the
    // journalled chunks, so they would verify: only the link itself may stop the resume.
    const [partial] = await partialFiles(join(dir.path, 'out', 'large'));
    if (partial === undefined) throw new Error('the killed run left no temp file');
    const temp = join(dir.path, 'out', 'large', partial);
    const moved = join(dir.path, 'elsewhere.bin');
    await rename(temp, moved);
    await symlink(moved, temp);
    const before = await sha256Of(moved);

    const resumed = await orbit(runArgs, { cwd: dir.path });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJson<RunJson>(resumed).bytesWritten).toBe(BIG);
    expect(await sha256Of(join(dir.path, 'out', 'large', 'big.bin'))).toBe(
      await sha256Of(join(dir.path, 'src', 'large', 'big.bin')),
    );
    expect(await sha256Of(moved)).toBe(before);
    expect(await partialFiles(join(dir.path, 'out', 'large'))).toEqual([]);
  });

  it('stops cleanly on SIGINT with exit 130, keeping the journal so the next run resumes', async () => {
    const child = spawnOrbit(runArgs, { cwd: dir.path });
    const done = collect(child);
    await waitFor('a chunk checkpoint of big.bin in the journal', () => checkpointed(1));
    // Like Ctrl-C in a terminal: the whole foreground process group gets SIGINT.
    killGroup(child, 'SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('SIGINT received');
    expect(parseJson<RunJson>(stopped).status).toBe('cancelled');
    expect(existsSync(journal())).toBe(true);
    expect(existsSync(join(dir.path, 'out', 'large', 'big.bin'))).toBe(false);

    const resumed = await orbit(runArgs, { cwd: dir.path });
    const summary = parseJson<RunJson>(resumed);
    expect(resumed.code).toBe(0);
    expect(summary.resumedFrom).not.toBeNull();
    expect(await sha256Of(join(dir.path, 'out', 'large', 'big.bin'))).toBe(
      await sha256Of(join(dir.path, 'src', 'large', 'big.bin')),
    );
  });
});
