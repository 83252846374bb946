import { appendFileSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOrbitError } from '../errors.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { moduleWorkersAvailable } from '../runtime/module-worker.ts';
import { partialPathFor } from './atomic-file.ts';
import { SourceChangedError } from './file-sync.ts';
import { SmallFileCopier } from './small-file-copier.ts';
import { fromSmallFileError, toSmallFileError } from './small-file-worker.ts';
import { copyJob } from './transfer-executor.ts';
import {
  recordingContext,
  TEST_CHUNKING,
  testJob,
  useTransferDirs,
  writeTree,
} from './transfer-test-fixtures.ts';

let source: string;
let destination: string;
let state: string;
useTransferDirs('small-worker', (dirs) => {
  ({ source, destination, state } = dirs);
});

// The worker exists under Deno only; under Node small files go through the chunk pass.
describe.runIf(moduleWorkersAvailable())('the small-file worker', () => {
  it('copies a job of small files as the in-thread path does: content, mode, mtime, audit, no temps', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`d${i % 5}/f${i}.txt`] = `worker file ${i} `.repeat(i % 40);
    await writeTree(source, files);
    const inThread = join(destination, '..', 'in-thread');
    const viaWorker = recordingContext(state);
    const worker = await copyJob(testJob({ source, destination }), viaWorker);
    const alone = recordingContext(join(state, 'alone'), { smallFileWorker: false });
    const reference = await copyJob(testJob({ source, destination: inThread }), alone);

    expect(worker.status).toBe('succeeded');
    expect(worker.counters).toEqual(reference.counters);
    for (const [path, content] of Object.entries(files)) {
      expect(await readFile(join(destination, path), 'utf8')).toBe(content);
      const [copied, original] = await Promise.all([
        lstat(join(destination, path)),
        lstat(join(source, path)),
      ]);
      expect(copied.mode).toBe(original.mode);
      expect(copied.mtimeMs).toBe(original.mtimeMs);
    }
    const byPath = (events: typeof viaWorker.provenance) =>
      events.map((event) => JSON.stringify(event)).sort();
    expect(byPath(viaWorker.provenance)).toEqual(byPath(alone.provenance));
    const names = (await readdir(destination, { recursive: true })).map(String);
    expect(names.filter((name) => name.includes('orbit-partial'))).toEqual([]);
  });

  it('retries a file that changed since the scan and skips one that vanished', async () => {
    await writeTree(source, { 'grow.txt': 'first', 'gone.txt': 'bye', 'ok.txt': 'ok' });
    const context = recordingContext(state, {
      onProgress: (event) => {
        // After the scan, before the worker reads: the file no longer matches what was scanned.
        if (event.type === 'file-start' && event.path === 'grow.txt' && event.size === 5) {
          appendFileSync(join(source, 'grow.txt'), ' and more');
        }
        if (event.type === 'file-start' && event.path === 'gone.txt') unlinkSync(join(source, 'gone.txt'));
      },
    });
    const result = await copyJob(testJob({ source, destination }), context);
    expect(result.status).toBe('succeeded');
    expect(result.retries).toBe(1);
    expect(await readFile(join(destination, 'grow.txt'), 'utf8')).toBe('first and more');
    expect(await readFile(join(destination, 'ok.txt'), 'utf8')).toBe('ok');
    expect(result.skipped).toEqual([
      { path: 'gone.txt', message: 'vanished from the source during the run' },
    ]);
  });

  it('reports a folder standing at a temp name for that file only, with the path and a fix', async () => {
    await writeTree(source, { 'a.txt': 'a', 'b.txt': 'b' });
    await mkdir(partialPathFor(join(destination, 'a.txt')), { recursive: true });
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('failed');
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.path).toBe('a.txt');
    expect(result.failures[0]?.message).toContain('a folder stands where the temp file of this path goes');
    expect(result.failures[0]?.message).toContain(partialPathFor(join(destination, 'a.txt')));
    expect(await readFile(join(destination, 'b.txt'), 'utf8')).toBe('b');
    expect((await stat(partialPathFor(join(destination, 'a.txt')))).isDirectory()).toBe(true);
  });

  it('stops when cancelled mid-job: every file is whole or absent, no temp file is left', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`d${i % 4}/f${i}.txt`] = `cancelled ${i} `.repeat(50);
    await writeTree(source, files);
    const controller = new AbortController();
    let done = 0;
    const context = recordingContext(state, {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'file-done' && ++done === 100) controller.abort();
      },
    });
    await expect(copyJob(testJob({ source, destination }), context)).rejects.toThrow();
    const names = (await readdir(destination, { recursive: true })).map(String);
    expect(names.filter((name) => name.includes('orbit-partial'))).toEqual([]);
    const copied = names.filter((name) => name.endsWith('.txt'));
    expect(copied.length).toBeGreaterThanOrEqual(100);
    expect(copied.length).toBeLessThan(400);
    for (const name of copied) expect(await readFile(join(destination, name), 'utf8')).toBe(files[name]);
  });

  it('copies in-thread when its worker fails, losing no file', async () => {
    await writeTree(source, { 'x.txt': 'x data', 'y.txt': 'y data' });
    // An algorithm the worker cannot build makes every batch it is sent fail.
    const copier = SmallFileCopier.create('no-such-hash' as ChecksumAlgorithm, 8);
    if (!copier) throw new Error('expected a copier under Deno');
    const algorithm = getHashAlgorithm('blake3');
    try {
      const outcomes = await Promise.all(
        ['x.txt', 'y.txt'].map(async (name) => {
          await mkdir(destination, { recursive: true });
          const info = await stat(join(source, name));
          return copier.copy({
            path: name,
            source: join(source, name),
            target: join(destination, name),
            entry: { size: info.size, mtimeMs: info.mtimeMs, mode: info.mode & 0o7777 },
            chunking: TEST_CHUNKING,
            algorithm,
            checkpointBytes: 1 << 20,
          });
        }),
      );
      expect(outcomes.map((outcome) => outcome.hash)).toEqual([
        algorithm.hash(new TextEncoder().encode('x data')),
        algorithm.hash(new TextEncoder().encode('y data')),
      ]);
      expect(await readFile(join(destination, 'y.txt'), 'utf8')).toBe('y data');
    } finally {
      copier.close();
    }
  });
});

describe('errors crossing from the worker', () => {
  it('keep their code, path and hint, and a changed source stays retryable', () => {
    const changed = fromSmallFileError(toSmallFileError(new SourceChangedError('/src/a')));
    expect(changed).toBeInstanceOf(SourceChangedError);
    expect(changed.location.path).toBe('/src/a');
    const other = fromSmallFileError(
      toSmallFileError(Object.assign(new Error('disk on fire'), { code: 'EIO' })),
    );
    expect(isOrbitError(other)).toBe(true);
    expect(other.code).toBe('IO');
    expect(other.message).toContain('disk on fire');
  });
});
