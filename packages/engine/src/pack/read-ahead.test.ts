import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanEntry } from '../scan/scan-tree.ts';
import { makeTempDir, writeTree } from '../transfer/transfer-test-fixtures.ts';
import { readAhead } from './read-ahead.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('read-ahead'));
  await writeTree(root, { 'a.txt': 'alpha', 'b.txt': 'beta', 'big.bin': 'x'.repeat(100) });
});
afterEach(() => cleanup());

function file(path: string, size: number): ScanEntry {
  return { path, kind: 'file', size, mtimeMs: 0, mode: 0o644 } as ScanEntry;
}

async function* listed(entries: readonly ScanEntry[], seen: string[]): AsyncGenerator<ScanEntry> {
  for (const entry of entries) {
    seen.push(entry.path);
    yield entry;
  }
}

describe('readAhead', () => {
  it('passes entries on in order, reading the wanted ones ahead of the consumer', async () => {
    const entries = [file('a.txt', 5), file('gone.txt', 3), file('big.bin', 100), file('b.txt', 4)];
    const pulled: string[] = [];
    const ahead = readAhead(listed(entries, pulled), {
      root,
      depth: 2,
      wanted: (entry) => entry.size < 50,
    });
    const first = await ahead.next();
    // Two entries are held ahead of the one handed out, so three were pulled from the scan.
    expect(pulled).toEqual(['a.txt', 'gone.txt', 'big.bin']);
    expect(first.value?.entry.path).toBe('a.txt');
    expect(new TextDecoder().decode(await first.value?.data)).toBe('alpha');

    const second = await ahead.next();
    expect(second.value?.entry.path).toBe('gone.txt');
    // A failed read surfaces where the entry is handled, as an error naming the path.
    await expect(second.value?.data).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
      location: { path: join(root, 'gone.txt') },
    });
    const rest: string[] = [];
    for await (const { entry, data } of ahead)
      rest.push(`${entry.path}:${data === undefined ? 'later' : 'ahead'}`);
    expect(rest).toEqual(['big.bin:later', 'b.txt:ahead']);
  });

  it('stops with the consumer, leaving no read running', async () => {
    const entries = Array.from({ length: 10 }, (_, index) => file(index % 2 === 0 ? 'a.txt' : 'b.txt', 5));
    const pulled: string[] = [];
    for await (const { entry } of readAhead(listed(entries, pulled), {
      root,
      depth: 4,
      wanted: () => true,
    })) {
      expect(entry.path).toBe('a.txt');
      break;
    }
    expect(pulled).toHaveLength(5);
  });
});
