import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobCargoIndex } from '../cargo/cargo-index.ts';
import { jobManifestDir } from '../cargo/job-cargo.ts';
import type { ChunkingOptions } from '../chunking/chunking-options.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { type ChunkRef, chunkPass } from './chunk-pass.ts';
import { copyJob } from './transfer-executor.ts';
import {
  randomData,
  recordingContext,
  TEST_CHUNKING,
  testJob,
  useTransferDirs,
} from './transfer-test-fixtures.ts';

let source: string;
let destination: string;
let state: string;
useTransferDirs('incremental', (dirs) => {
  ({ source, destination, state } = dirs);
});

async function plainChunks(path: string, chunking: ChunkingOptions): Promise<ChunkRef[]> {
  const handle = await open(path, 'r');
  try {
    return await chunkPass(handle, { chunking, algorithm: getHashAlgorithm('blake3'), cutter: 'in-thread' });
  } finally {
    await handle.close();
  }
}

async function recordedChunks(): Promise<readonly ChunkRef[] | undefined> {
  return (await JobCargoIndex.load(jobManifestDir(state, 'test'))).get('big.bin')?.chunks;
}

describe('re-sync of an edited file', () => {
  it('writes only the changed chunks and records the chunks FastCDC would cut', async () => {
    const file = join(source, 'big.bin');
    const data = randomData(2_000_000);
    await writeFile(file, data);
    const job = testJob({ source, destination });
    expect((await copyJob(job, recordingContext(state))).status).toBe('succeeded');

    for (let i = 1_000_000; i < 1_000_100; i++) data[i] = (data[i] as number) ^ 0xff;
    await writeFile(
      file,
      Buffer.concat([data.subarray(0, 300_000), Buffer.from('inserted'), data.subarray(300_000)]),
    );
    const again = await copyJob(job, recordingContext(state));
    expect(again.status).toBe('succeeded');
    expect(again.counters.chunksWritten).toBeLessThanOrEqual(6);
    expect(again.counters.bytesWritten).toBeLessThan(6 * TEST_CHUNKING.maxSize);
    expect((await readFile(join(destination, 'big.bin'))).equals(await readFile(file))).toBe(true);
    expect(await recordedChunks()).toEqual(await plainChunks(file, TEST_CHUNKING));
  });

  it('cuts afresh when the job’s chunking changed since the chunks were recorded', async () => {
    const file = join(source, 'big.bin');
    const data = randomData(1_000_000);
    await writeFile(file, data);
    expect((await copyJob(testJob({ source, destination }), recordingContext(state))).status).toBe(
      'succeeded',
    );

    data[500_000] = (data[500_000] as number) ^ 1;
    await writeFile(file, data);
    const other: ChunkingOptions = { minSize: 2048, avgSize: 8192, maxSize: 32768 };
    const again = await copyJob(testJob({ source, destination, chunking: other }), recordingContext(state));
    expect(again.status).toBe('succeeded');
    expect(await recordedChunks()).toEqual(await plainChunks(file, other));
  });
});
