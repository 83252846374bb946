import { execFileSync } from 'node:child_process';
import { appendFileSync, unlinkSync } from 'node:fs';
import { chmod, lstat, readdir, readFile, readlink, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { JobCargoIndex } from '../cargo/cargo-index.ts';
import { jobManifestDir } from '../cargo/job-cargo.ts';
import { copyJob, mirrorJob } from './transfer-executor.ts';
import {
  randomData,
  recordingContext,
  TEST_CHUNKING,
  testJob,
  useTransferDirs,
  writeTree,
} from './transfer-test-fixtures.ts';

let source: string;
let destination: string;
let state: string;
useTransferDirs('transfer', (dirs) => {
  ({ source, destination, state } = dirs);
});

async function allNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

describe('copy', () => {
  it('copies files, folders and symlinks with their modes and mtimes, then finds them unchanged', async () => {
    const big = randomData(200_000);
    await writeTree(source, { 'a.txt': 'alpha', 'empty.txt': '', 'nested/deep/big.bin': big });
    await symlink('../outside/target', join(source, 'nested', 'link'));
    await chmod(join(source, 'a.txt'), 0o640);
    await chmod(join(source, 'nested', 'deep'), 0o750);
    const when = new Date('2021-03-04T05:06:07.000Z');
    await utimes(join(source, 'a.txt'), when, when);
    await utimes(join(source, 'nested', 'deep'), when, when);

    const job = testJob({ source, destination });
    const first = await copyJob(job, recordingContext(state));
    expect(first.status).toBe('succeeded');
    expect(first.counters.filesCopied).toBe(4);
    expect(first.counters.bytesWritten).toBe(5 + 200_000);

    expect(Buffer.from(big).equals(await readFile(join(destination, 'nested/deep/big.bin')))).toBe(true);
    expect(await readlink(join(destination, 'nested/link'))).toBe('../outside/target');
    const copied = await lstat(join(destination, 'a.txt'));
    expect(copied.mode & 0o7777).toBe(0o640);
    expect(copied.mtime.toISOString()).toBe(when.toISOString());
    const folder = await lstat(join(destination, 'nested', 'deep'));
    expect(folder.mode & 0o7777).toBe(0o750);
    expect(folder.mtime.toISOString()).toBe(when.toISOString());
    expect(await allNames(destination)).not.toContainEqual(expect.stringContaining('orbit-partial'));

    const secondContext = recordingContext(state);
    const second = await copyJob(job, secondContext);
    expect(second.status).toBe('succeeded');
    expect(second.counters.filesUnchanged).toBe(4);
    expect(second.counters.bytesWritten).toBe(0);
    // Files it only looked at are counted, not given a provenance line each.
    expect(secondContext.provenance).toEqual([]);
  });

  it('re-syncs an unchanged tree with each file started and done as unchanged, its cargo kept', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d${i % 4}/f${i}.txt`] = `unchanged ${i}`;
    await writeTree(source, files);
    const job = testJob({ source, destination });
    await copyJob(job, recordingContext(state));
    const cargoBefore = (await JobCargoIndex.load(jobManifestDir(state, 'test'))).all();
    // One target whose mode drifted: not unchanged, its mode is put back.
    await chmod(join(destination, 'd1/f1.txt'), 0o600);

    const context = recordingContext(state);
    const second = await copyJob(job, context);
    expect(second.counters.filesUnchanged).toBe(39);
    expect(second.counters.filesUpdated).toBe(1);
    expect((await lstat(join(destination, 'd1/f1.txt'))).mode & 0o7777).toBe(
      (await lstat(join(source, 'd1/f1.txt'))).mode & 0o7777,
    );
    for (const path of Object.keys(files)) {
      const events = context.progress.filter((event) => 'path' in event && event.path === path);
      const action = path === 'd1/f1.txt' ? 'updated' : 'unchanged';
      expect(events).toEqual([
        { type: 'file-start', job: 'test', path, size: Buffer.byteLength(files[path] ?? '') },
        { type: 'file-done', job: 'test', path, action },
      ]);
    }
    const cargoAfter = (await JobCargoIndex.load(jobManifestDir(state, 'test'))).all();
    expect(cargoAfter).toEqual(cargoBefore);
  });

  it('re-sends about one chunk after a one-byte edit in a multi-chunk file', async () => {
    const data = randomData(1_000_000);
    await writeTree(source, { 'big.bin': data });
    const job = testJob({ source, destination });
    await copyJob(job, recordingContext(state));

    // Edit the middle of a chunk no longer than avg, far from its cut point, so the cut stays put.
    const record = (await JobCargoIndex.load(jobManifestDir(state, 'test'))).get('big.bin');
    const chunk = record?.chunks.find((candidate) => candidate.length <= TEST_CHUNKING.avgSize);
    if (!chunk) throw new Error('expected a chunk no longer than avgSize');
    const at = chunk.offset + Math.floor(chunk.length / 2);
    data[at] = (data[at] ?? 0) ^ 0xff;
    await writeFile(join(source, 'big.bin'), data);
    await utimes(join(source, 'big.bin'), new Date(), new Date(Date.now() + 5000));
    const context = recordingContext(state);
    const result = await copyJob(job, context);
    expect(result.status).toBe('succeeded');
    expect(result.counters.filesUpdated).toBe(1);
    expect(result.counters.chunksReused).toBeGreaterThan(0);
    expect(result.counters.bytesWritten).toBeGreaterThan(0);
    expect(result.counters.bytesWritten).toBeLessThanOrEqual(2 * TEST_CHUNKING.avgSize);
    // The destination's chunk list came from the cargo record, so the old file was not re-read.
    expect(result.counters.bytesRead).toBe(data.length);
    expect(Buffer.from(data).equals(await readFile(join(destination, 'big.bin')))).toBe(true);
    expect(
      context.provenance.filter((event) => event.type === 'chunk' && event.action === 'written').length,
    ).toBe(result.counters.chunksWritten);
  });

  it('audits every chunk of a multi-chunk file, and a one-chunk file by its file event alone', async () => {
    const big = randomData(400_000);
    await writeTree(source, { 'big.bin': big, 'small.txt': 'one chunk' });
    const context = recordingContext(state);
    const result = await copyJob(testJob({ source, destination }), context);
    expect(result.status).toBe('succeeded');
    const chunkLines = context.provenance.flatMap((event) => (event.type === 'chunk' ? [event] : []));
    expect(chunkLines.every((event) => event.file === 'big.bin')).toBe(true);
    expect(chunkLines.length).toBeGreaterThan(1);
    expect(chunkLines.reduce((sum, event) => sum + event.length, 0)).toBe(big.length);
    expect(context.provenance).toContainEqual(
      expect.objectContaining({ type: 'file', path: 'small.txt', size: 9, chunksWritten: 1 }),
    );
  });

  it('reuses shifted chunks after an insertion near the start', async () => {
    const data = randomData(600_000);
    await writeTree(source, { 'big.bin': data });
    const job = testJob({ source, destination });
    await copyJob(job, recordingContext(state));
    const grown = new Uint8Array([...data.subarray(0, 1000), 1, 2, 3, ...data.subarray(1000)]);
    await writeFile(join(source, 'big.bin'), grown);
    const result = await copyJob(job, recordingContext(state));
    expect(result.counters.chunksReused).toBeGreaterThan(0);
    expect(result.counters.bytesWritten).toBeLessThanOrEqual(2 * TEST_CHUNKING.maxSize);
    expect(Buffer.from(grown).equals(await readFile(join(destination, 'big.bin')))).toBe(true);
  });

  it('skips special files with a reason without failing the job', async () => {
    await writeTree(source, { 'a.txt': 'a' });
    execFileSync('mkfifo', [join(source, 'pipe')]);
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('succeeded');
    expect(result.counters.filesSkipped).toBe(1);
    expect(result.skipped).toEqual([{ path: 'pipe', message: expect.stringContaining('special file') }]);
    expect(await allNames(destination)).toEqual(['a.txt']);
  });

  it('writes nothing in a dry run', async () => {
    await writeTree(source, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    const result = await copyJob(testJob({ source, destination }), recordingContext(state, { dryRun: true }));
    expect(result.counters).toMatchObject({ filesCopied: 2, bytesRead: 0, bytesWritten: 2 });
    await expect(lstat(destination)).rejects.toThrow();
    await expect(lstat(state)).rejects.toThrow();
  });

  it('retries a file whose source changes while it is copied, then fails it if it keeps changing', async () => {
    await writeTree(source, { 'grow.bin': randomData(100_000), 'ok.txt': 'ok' });
    const file = join(source, 'grow.bin');
    let changes = 1;
    const context = recordingContext(state, {
      onProgress: (event) => {
        if (event.type === 'bytes' && event.path === 'grow.bin' && changes > 0) {
          changes--;
          appendFileSync(file, 'more');
        }
      },
    });
    const job = testJob({ source, destination });
    const once = await copyJob(job, context);
    expect(once.status).toBe('succeeded');
    expect(once.retries).toBe(1);
    expect((await readFile(join(destination, 'grow.bin'))).equals(await readFile(file))).toBe(true);

    changes = Number.POSITIVE_INFINITY;
    appendFileSync(file, 'changed again');
    const always = await copyJob(job, context);
    expect(always.status).toBe('failed');
    expect(always.retries).toBe(2);
    expect(always.failures).toEqual([
      { path: 'grow.bin', message: expect.stringContaining('changed while it was being copied') },
    ]);
    expect(await allNames(destination)).toEqual(['grow.bin', 'ok.txt']);
  });

  it('skips a file that vanishes from the source after the scan', async () => {
    await writeTree(source, { 'a.txt': 'a', 'gone.bin': randomData(10_000) });
    const context = recordingContext(state, {
      onProgress: (event) => {
        if (event.type === 'file-start' && event.path === 'gone.bin') unlinkSync(join(source, 'gone.bin'));
      },
    });
    const result = await copyJob(testJob({ source, destination }), context);
    expect(result.status).toBe('succeeded');
    expect(result.skipped).toEqual([
      { path: 'gone.bin', message: 'vanished from the source during the run' },
    ]);
    expect(await allNames(destination)).toEqual(['a.txt']);
  });

  it('leaves no partial file when the destination turns read-only mid-run', async () => {
    await writeTree(source, { 'a.txt': 'a', 'sub/b.bin': randomData(50_000), 'sub/c.txt': 'c' });
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(join(source, 'sub'), old, old);
    const locked = join(destination, 'sub');
    const context = recordingContext(state, {
      onProgress: (event) => {
        if (event.type === 'file-start' && event.path === 'sub/b.bin') execFileSync('chattr', ['+i', locked]);
      },
    });
    try {
      const result = await copyJob(testJob({ source, destination }), context);
      expect(result.status).toBe('failed');
      // The locked folder's own mode/mtime cannot be set either; that is reported too.
      expect(result.failures.map((failure) => failure.path)).toEqual(['sub', 'sub/b.bin', 'sub/c.txt']);
      expect(result.failures[1]?.message).toMatch(
        /orbit-partial: cannot create the temp file: .*\n {2}hint: /,
      );
      expect(result.counters.filesCopied).toBe(1);
    } finally {
      execFileSync('chattr', ['-i', locked]);
    }
    expect(await allNames(destination)).toEqual(['a.txt', 'sub']);
  });
});

describe('mirror', () => {
  beforeEach(async () => {
    await writeTree(source, { 'keep.txt': 'keep', 'logs/app.log': 'log' });
    await writeTree(destination, {
      'keep.txt': 'old',
      'gone.txt': 'gone',
      'old/inner.txt': 'inner',
      'logs/old.log': 'excluded',
      '.other.bin.orbit-partial': 'another job is writing this',
    });
  });

  it('reports extraneous entries without delete', async () => {
    const job = testJob({ source, destination, mode: 'mirror', exclude: ['logs/**'] });
    const result = await mirrorJob(job, recordingContext(state));
    expect(result.status).toBe('succeeded');
    expect(result.extraneous).toEqual(['gone.txt', 'old', 'old/inner.txt']);
    expect(result.counters.filesDeleted).toBe(0);
    expect(await readFile(join(destination, 'gone.txt'), 'utf8')).toBe('gone');
  });

  it('deletes within its scope with delete = true and never touches partial files', async () => {
    const job = testJob({ source, destination, mode: 'mirror', delete: true, exclude: ['logs/**'] });
    const result = await mirrorJob(job, recordingContext(state));
    expect(result.status).toBe('succeeded');
    expect(result.counters.filesDeleted).toBe(3);
    expect(await allNames(destination)).toEqual([
      '.other.bin.orbit-partial',
      'keep.txt',
      'logs',
      'logs/old.log',
    ]);
    expect(await readFile(join(destination, 'keep.txt'), 'utf8')).toBe('keep');
    const cargo = await JobCargoIndex.load(jobManifestDir(state, 'test'));
    expect(cargo.get('keep.txt')?.kind).toBe('file');
    expect(cargo.get('gone.txt')).toBeUndefined();
  });

  it('copy mode never deletes', async () => {
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.extraneous).toBeUndefined();
    expect(await readFile(join(destination, 'gone.txt'), 'utf8')).toBe('gone');
  });
});
