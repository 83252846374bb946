import { mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake3Algorithm } from '@orbit/engine/hashing/blake3-algorithm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomData } from './data-plane.fixture.ts';
import { TempVerifier } from './temp-verifier.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orbit-temp-verifier-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// Big enough for the direct reads (16 MiB and up), with a tail that is not a whole page.
const SIZE = 17 * 1024 * 1024 + 1234;

it('hashes a big temp file as read back, in steps and at the end, the same as its bytes', async () => {
  const data = randomData(SIZE);
  const path = join(dir, '.big.bin.orbit-partial');
  await writeFile(path, data);
  const handle = await open(path, 'r+');
  try {
    const verifier = new TempVerifier(handle, blake3Algorithm, SIZE, path);
    verifier.advance(9 * 1024 * 1024);
    await verifier.idle();
    expect(await verifier.digest(SIZE)).toBe(blake3Algorithm.hash(data));
  } finally {
    await handle.close();
  }
});

it('hashes its own handle when the name now leads to another file', async () => {
  const data = randomData(SIZE);
  const path = join(dir, 'temp');
  const other = join(dir, 'other');
  await writeFile(path, data);
  await writeFile(other, randomData(SIZE));
  const handle = await open(path, 'r');
  try {
    await rm(path);
    await symlink(other, path);
    const verifier = new TempVerifier(handle, blake3Algorithm, SIZE, path);
    expect(await verifier.digest(SIZE)).toBe(blake3Algorithm.hash(data));
  } finally {
    await handle.close();
  }
});
