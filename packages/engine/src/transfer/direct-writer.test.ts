import { createHash } from 'node:crypto';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import { moduleWorkersAvailable } from '../runtime/module-worker.ts';
import { WORKER_CUT_MIN_BYTES } from './chunk-pass.ts';
import { openDirectWriter } from './direct-writer.ts';
import { openPositionalWriter } from './positional-writer.ts';
import { sharedBlocks } from './shared-blocks.ts';
import { copyJob } from './transfer-executor.ts';
import { randomData, recordingContext, testJob, useTransferDirs } from './transfer-test-fixtures.ts';

let root: string;
let source: string;
let destination: string;
let state: string;
useTransferDirs('direct-writer', (dirs) => {
  ({ root, source, destination, state } = dirs);
});

const digest = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe.runIf(moduleWorkersAvailable())('openDirectWriter', () => {
  it('lands page-aligned blocks, an unaligned tail and blocks direct I/O cannot take', async () => {
    const path = join(root, 'out.bin');
    const handle = await open(path, 'w+');
    const blockSize = 1 << 20;
    const [first, second] = sharedBlocks(2, blockSize) as [Uint8Array, Uint8Array];
    const expected = randomData(3 * blockSize + 5 * 4096 + 777);
    const writer = openDirectWriter(path);
    expect(writer).toBeDefined();
    first.set(expected.subarray(0, blockSize));
    second.set(expected.subarray(blockSize, 2 * blockSize));
    await Promise.all([writer?.write(first, 0), writer?.write(second, blockSize)]);
    // A plain SharedArrayBuffer (not page-aligned) and ordinary memory (copied to the worker).
    const plainShared = new Uint8Array(new SharedArrayBuffer(blockSize));
    plainShared.set(expected.subarray(2 * blockSize, 3 * blockSize));
    await writer?.write(plainShared, 2 * blockSize);
    first.set(expected.subarray(3 * blockSize));
    await writer?.write(first.subarray(0, expected.length - 3 * blockSize), 3 * blockSize);
    await writer?.close();
    await handle.datasync();
    await handle.close();
    expect(digest(await readFile(path))).toBe(digest(expected));
  });

  it('fails the first write when the file cannot be opened', async () => {
    const writer = openDirectWriter(join(root, 'missing-folder', 'out.bin'));
    await expect(writer?.write(new Uint8Array(16), 0)).rejects.toThrow(/direct write worker/);
    await writer?.close().catch(() => undefined);
  });

  it('leaves an identical copy of a fresh big file, the files it is for', async () => {
    const data = randomData(WORKER_CUT_MIN_BYTES + 3 * 4096 + 123);
    await writeFile(join(source, 'big.bin'), data);
    const result = await copyJob(testJob({ source, destination }), recordingContext(state));
    expect(result.status).toBe('succeeded');
    const copy = await readFile(join(destination, 'big.bin'));
    expect(digest(copy)).toBe(digest(data));
    expect(blake3Algorithm.hash(copy)).toBe(blake3Algorithm.hash(data));
  });

  it('re-syncs an edited big file through the guided pass, writing its temp file directly', async () => {
    const file = join(source, 'big.bin');
    const data = randomData(WORKER_CUT_MIN_BYTES + 5 * 4096 + 99);
    await writeFile(file, data);
    const job = testJob({ source, destination });
    expect((await copyJob(job, recordingContext(state))).status).toBe('succeeded');
    // An edit in the middle (chunks line up again) and bytes inserted near the start (every later
    // byte moves, so no block of the new file sits where the old one's did).
    for (let i = 20_000_000; i < 20_001_000; i++) data[i] = (data[i] as number) ^ 0x5a;
    const edited = Buffer.concat([data.subarray(0, 4097), Buffer.from('inserted'), data.subarray(4097)]);
    await writeFile(file, edited);
    const again = await copyJob(job, recordingContext(state));
    expect(again.status).toBe('succeeded');
    expect(again.counters.chunksReused).toBeGreaterThan(0);
    expect(digest(await readFile(join(destination, 'big.bin')))).toBe(digest(edited));
  });
});

it('writes any buffer, fit for direct I/O or not, on every runtime', async () => {
  const path = join(root, 'fallback.bin');
  const data = randomData(300_000);
  const handle = await open(path, 'w+');
  const writer = await openPositionalWriter(path, handle, data.length, { direct: true });
  await writer.write(data, 0);
  await writer.close();
  await handle.close();
  expect(digest(await readFile(path))).toBe(digest(data));
});
