import { appendFileSync, unlinkSync } from 'node:fs';
import { chmod, lstat, readdir, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyJob } from './transfer-executor.ts';
import { recordingContext, testJob, useTransferDirs, writeTree } from './transfer-test-fixtures.ts';

// Files of one chunk (TEST_CHUNKING.minSize is 4 KiB); under Deno they take the small-file path,
// under Node the chunk pass: the same outcomes are asserted on both runtimes.
let source: string;
let destination: string;
let state: string;
useTransferDirs('small', (dirs) => {
  ({ source, destination, state } = dirs);
});

describe('small files', () => {
  it('keeps content, mode and mtime, leaves no temp file and finds them unchanged next time', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 100; i++) files[`d${i % 7}/f${i}.txt`] = `file ${i} `.repeat(i);
    files['empty.txt'] = '';
    await writeTree(source, files);
    await chmod(join(source, 'd1/f1.txt'), 0o600);
    const when = new Date('2022-05-06T07:08:09.123Z');
    await utimes(join(source, 'd1/f1.txt'), when, when);

    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('succeeded');
    expect(result.counters.filesCopied).toBe(101);
    for (const [path, content] of Object.entries(files)) {
      expect(await readFile(join(destination, path), 'utf8')).toBe(content);
    }
    const kept = await lstat(join(destination, 'd1/f1.txt'));
    expect(kept.mode & 0o7777).toBe(0o600);
    expect(kept.mtime.toISOString()).toBe(when.toISOString());
    const names = (await readdir(destination, { recursive: true })).map(String);
    expect(names.filter((name) => name.includes('orbit-partial'))).toEqual([]);

    const again = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(again.counters.filesUnchanged).toBe(101);
    expect(again.counters.bytesWritten).toBe(0);
  });

  it('retries a small file that changes while it is read and skips one that vanished', async () => {
    await writeTree(source, { 'grow.txt': 'first', 'gone.txt': 'bye', 'ok.txt': 'ok' });
    let changes = 1;
    const context = recordingContext(state, {
      // In-thread: its 'bytes' event comes between the read and the check (the worker's does not).
      smallFileWorker: false,
      onProgress: (event) => {
        if (event.type === 'bytes' && event.path === 'grow.txt' && changes-- > 0) {
          appendFileSync(join(source, 'grow.txt'), ' and more');
        }
        if (event.type === 'file-start' && event.path === 'gone.txt') unlinkSync(join(source, 'gone.txt'));
      },
    });
    const result = await copyJob(testJob({ source, destination }), context);
    expect(result.status).toBe('succeeded');
    expect(result.retries).toBe(1);
    expect(await readFile(join(destination, 'grow.txt'), 'utf8')).toBe('first and more');
    expect(result.skipped).toEqual([
      { path: 'gone.txt', message: 'vanished from the source during the run' },
    ]);
  });
});
