import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededBytes } from '../chunking/seeded-bytes.test-helper.ts';
import { OrbitError } from '../errors.ts';
import { READ_BLOCK_SIZE } from './file-reader.ts';
import { hashFile } from './hash-file.ts';
import { HASH_ALGORITHMS } from './hash-registry.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-hash-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(HASH_ALGORITHMS.map((algorithm) => [algorithm.name, algorithm] as const))(
  '%s',
  (_, algorithm) => {
    it.each([0, 1, 4097, READ_BLOCK_SIZE, READ_BLOCK_SIZE + 12_345])(
      'streams a %d-byte file to the one-shot digest',
      async (size) => {
        const data = seededBytes(size, size + 1);
        const path = join(dir, `${algorithm.name}-${size}.bin`);
        await writeFile(path, data);
        expect(await hashFile(path, algorithm)).toEqual({ size, hash: algorithm.hash(data) });
      },
    );
  },
);

it('reports a missing file as PATH_NOT_FOUND with its path', async () => {
  const path = join(dir, 'missing.bin');
  const [algorithm] = HASH_ALGORITHMS;
  if (!algorithm) throw new Error('no algorithm registered');
  const error = await hashFile(path, algorithm).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(OrbitError);
  expect(error).toMatchObject({ code: 'PATH_NOT_FOUND', location: { path } });
});

it('reports a directory as an IO error', async () => {
  const [algorithm] = HASH_ALGORITHMS;
  if (!algorithm) throw new Error('no algorithm registered');
  await expect(hashFile(dir, algorithm)).rejects.toMatchObject({ code: 'IO', location: { path: dir } });
});

it('stops when the signal is aborted', async () => {
  const path = join(dir, 'aborted.bin');
  await writeFile(path, seededBytes(1000, 5));
  const [algorithm] = HASH_ALGORITHMS;
  if (!algorithm) throw new Error('no algorithm registered');
  await expect(hashFile(path, algorithm, { signal: AbortSignal.abort() })).rejects.toThrow();
});
