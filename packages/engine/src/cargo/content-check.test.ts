import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkBuffer } from '../chunking/fastcdc-chunker.ts';
import { blake3Algorithm } from '../hashing/blake3-algorithm.ts';
import { makeTempDir, randomData, TEST_CHUNKING } from '../transfer/transfer-test-fixtures.ts';
import type { CargoRecord } from './cargo-schema.ts';
import { checkContent, ReadBuffers } from './content-check.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('content-check'));
});
afterEach(() => cleanup());

type Content = Pick<CargoRecord, 'size' | 'hash' | 'chunks'>;

function recordOf(data: Uint8Array): Content {
  const chunks = chunkBuffer(data, TEST_CHUNKING).map(({ offset, length }) => ({
    offset,
    length,
    hash: blake3Algorithm.hash(data.subarray(offset, offset + length)),
  }));
  return { size: data.length, hash: blake3Algorithm.hash(data), chunks };
}

async function check(data: Uint8Array, record: Content, buffers = new ReadBuffers()) {
  const path = join(root, 'file.bin');
  await writeFile(path, data);
  const handle = await open(path, 'r');
  try {
    return await checkContent(handle, record, blake3Algorithm, buffers);
  } finally {
    await handle.close();
  }
}

describe('checkContent', () => {
  it('passes a file whose chunks and whole hash match, across read blocks smaller than a chunk', async () => {
    const data = randomData(700_000);
    const record = recordOf(data);
    expect(record.chunks.length).toBeGreaterThan(3);
    expect(await check(data, record)).toBeUndefined();
    expect(await check(data, record, new ReadBuffers(10_000))).toBeUndefined();
    // Files of all sizes share one pair of buffers; a big file after a small one still passes.
    const buffers = new ReadBuffers();
    expect(await check(data.subarray(0, 10), recordOf(data.subarray(0, 10)), buffers)).toBeUndefined();
    expect(await check(data, record, buffers)).toBeUndefined();
    expect(await check(new Uint8Array(0), recordOf(new Uint8Array(0)), buffers)).toBeUndefined();
  });

  it('names the first chunk that differs, with its actual hash', async () => {
    const data = randomData(700_000);
    const record = recordOf(data);
    const changed = data.slice();
    const target = record.chunks[2] as Content['chunks'][number];
    const at = target.offset + 5;
    changed[at] = (changed[at] ?? 0) ^ 0xff;
    const expected = {
      kind: 'chunk',
      index: 2,
      actual: blake3Algorithm.hash(changed.subarray(target.offset, target.offset + target.length)),
    };
    expect(await check(changed, record)).toEqual(expected);
    expect(await check(changed, record, new ReadBuffers(10_000))).toEqual(expected);
  });

  it('names the chunk a shortened file ends in, with no hash', async () => {
    const data = randomData(700_000);
    const record = recordOf(data);
    const last = record.chunks.length - 1;
    expect(await check(data.subarray(0, data.length - 10), record)).toEqual({
      kind: 'chunk',
      index: last,
      actual: '',
    });
  });

  it('checks a one-chunk file once, against its chunk and then its whole hash', async () => {
    const data = randomData(1000);
    const record = recordOf(data);
    expect(record.chunks).toHaveLength(1);
    const changed = data.slice();
    changed[0] = (changed[0] ?? 0) ^ 1;
    const actual = blake3Algorithm.hash(changed);
    expect(await check(changed, record)).toEqual({ kind: 'chunk', index: 0, actual });
    // A record whose whole hash disagrees with its own chunk is reported on the whole hash.
    expect(await check(data, { ...record, hash: 'f'.repeat(64) })).toEqual({
      kind: 'whole',
      actual: blake3Algorithm.hash(data),
    });
  });

  it('falls back to the whole hash when the chunks do not tile the file', async () => {
    const data = randomData(300_000);
    const record = recordOf(data);
    const gap = { ...record, chunks: record.chunks.slice(1) };
    expect(await check(data, gap)).toBeUndefined();
    const changed = data.slice();
    changed[100] = (changed[100] ?? 0) ^ 1;
    expect(await check(changed, gap)).toEqual({ kind: 'whole', actual: blake3Algorithm.hash(changed) });
  });
});
