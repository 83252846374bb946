import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPositionalWriter } from './positional-writer.ts';
import { makeTempDir, randomData } from './transfer-test-fixtures.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('positional-writer'));
});
afterEach(() => cleanup());

// Runs under Node (FileHandle writes) and under Deno (Deno.open writes): both must land every byte.
describe('openPositionalWriter', () => {
  it('puts each buffer at its offset, whatever the order the writes were issued in', async () => {
    const path = join(root, 'out.bin');
    // Big enough for Deno's own writer.
    const data = randomData(6 * 1024 * 1024 + 17);
    const handle = await open(path, 'w+');
    const writer = await openPositionalWriter(path, handle, data.length);
    const third = Math.floor(data.length / 3);
    await Promise.all([
      writer.write(data.subarray(2 * third), 2 * third),
      writer.write(data.subarray(0, third), 0),
      writer.write(data.subarray(third, 2 * third), third),
    ]);
    await writer.close();
    await handle.datasync();
    await handle.close();
    expect(Buffer.from(data).equals(await readFile(path))).toBe(true);
  });

  it('rejects a write to a file it cannot write', async () => {
    const path = join(root, 'read-only.bin');
    const handle = await open(path, 'w+');
    await handle.close();
    const reader = await open(path, 'r');
    const writer = await openPositionalWriter(path, reader, 64 * 1024 * 1024).catch(() => undefined);
    // Deno opens its own descriptor for writing (allowed here); Node writes through the read-only handle.
    const outcome = await writer?.write(new Uint8Array(8), 0).then(
      () => 'written',
      () => 'refused',
    );
    await writer?.close();
    await reader.close();
    expect(outcome).toBe(typeof Reflect.get(globalThis, 'Deno') === 'object' ? 'written' : 'refused');
  });
});
