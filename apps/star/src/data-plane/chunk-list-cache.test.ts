import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkListCache } from './chunk-list-cache.ts';
import { checkedLine, stateFileName } from './state-lines.ts';

let base: string;
let stateDir: string;
let root: string;
const lines: string[] = [];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'orbit-chunk-list-cache-'));
  stateDir = join(base, 'state');
  root = join(base, 'data');
  await mkdir(root);
  lines.length = 0;
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

describe('the chunk-list cache sweep', () => {
  it("drops the chunk-list cache's entries of files that are gone, and damaged ones", async () => {
    const cacheDir = join(stateDir, 'data-plane', 'chunk-lists');
    await mkdir(cacheDir, { recursive: true });
    const entry = async (target: string, text?: string): Promise<string> => {
      const file = join(cacheDir, stateFileName(target, 'json'));
      const identity = { dev: '1', ino: '2', size: 3, mtimeNs: '4', ctimeNs: '5' };
      const chunking = { minSize: 1, avgSize: 2, maxSize: 3 };
      const chunks = [[0, 3, 'ab']];
      await writeFile(
        file,
        text ?? checkedLine({ target, identity, algorithm: 'blake3', chunking, hash: 'h', chunks }),
      );
      return file;
    };
    await writeFile(join(root, 'here.bin'), 'abc');
    const here = await entry(join(root, 'here.bin'));
    const gone = await entry(join(root, 'gone.bin'));
    const damaged = await entry(join(root, 'damaged.bin'), 'deadbeef {"target":"x"}\n');

    expect(await ChunkListCache.sweep(stateDir, (line) => lines.push(line))).toBe(2);

    expect([await exists(here), await exists(gone), await exists(damaged)]).toEqual([true, false, false]);
    expect(lines).toEqual(['removed 2 chunk-list cache entries of received files that are gone, or damaged']);
  });
});
