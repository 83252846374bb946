import { open, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DirectReader } from './direct-reader.ts';
import { sharedBlocks } from './shared-blocks.ts';
import { randomData, useTransferDirs } from './transfer-test-fixtures.ts';

let root: string;
useTransferDirs('direct-reader', (dirs) => {
  ({ root } = dirs);
});

it('reads aligned ranges of the file it was given, short at the end, and refuses what direct I/O cannot take', async () => {
  const data = randomData(3 * 4096 + 100);
  const path = join(root, 'file.bin');
  await writeFile(path, data);
  const handle = await open(path, 'r');
  try {
    const direct = await DirectReader.open(path, handle);
    // tmpfs and some network filesystems refuse O_DIRECT: the caller then reads as before.
    if (direct === undefined) return;
    const [block] = sharedBlocks(1, 1 << 16) as [Uint8Array];
    expect(
      Buffer.from((await direct.readInto(block, 4096, 100)) ?? []).equals(data.subarray(4096, 4196)),
    ).toBe(true);
    // The last page: asked for more than is left, given what is there.
    expect((await direct.readInto(block, 3 * 4096, 4096))?.length).toBe(100);
    // Not at a page boundary, or more than the block holds: not attempted.
    expect(await direct.readInto(block, 100, 10)).toBeUndefined();
    expect(await direct.readInto(block.subarray(0, 4096), 0, 8192)).toBeUndefined();
    await direct.close();
    expect(await direct.readInto(block, 0, 100)).toBeUndefined();
  } finally {
    await handle.close();
  }
});

it('is not opened through a name that now leads to another file', async () => {
  const path = join(root, 'temp');
  const other = join(root, 'other');
  await writeFile(path, randomData(8192));
  await writeFile(other, randomData(8192));
  const handle = await open(path, 'r');
  try {
    await rm(path);
    await symlink(other, path);
    expect(await DirectReader.open(path, handle)).toBeUndefined();
  } finally {
    await handle.close();
  }
});
