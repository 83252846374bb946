import { join } from 'node:path';
import { parseManifest } from '@orbit/engine/manifest/index';
import { makeTempDir, writeTree } from '@orbit/engine/transfer/transfer-test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanJobSizes } from './plan-sizes.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: root, cleanup } = await makeTempDir('plan-sizes'));
  await writeTree(root, {
    'src/a.txt': 'aaa',
    'src/sub/b.txt': 'bb',
    'src/skip.tmp': 'x',
    'other/c.txt': 'c',
  });
});
afterEach(() => cleanup());

const manifest = () =>
  parseManifest(
    `[[job]]
name = "backup"
source = "src"
destination = "out/backup"
exclude = ["*.tmp"]

[[job]]
name = "vault"
source = "out/backup"
destination = "out/vault"
depends_on = ["backup"]

[[job]]
name = "other"
source = "other"
destination = "out/other"
`,
    { file: join(root, 'orbit.manifest.toml'), env: {} },
  );

describe('scanJobSizes', () => {
  it('sizes each job with its filters and names the ones whose source an earlier job makes', async () => {
    const notYetMade: string[] = [];
    const sizes = await scanJobSizes(manifest(), {
      signal: new AbortController().signal,
      onNotYetMade: (job, producer) => notYetMade.push(`${job}<-${producer}`),
    });
    expect(Object.fromEntries(sizes)).toEqual({
      backup: { files: 2, bytes: 5 },
      other: { files: 1, bytes: 1 },
    });
    expect(notYetMade).toEqual(['vault<-backup']);
  });

  it('sizes only the jobs asked for, such as one that has just started', async () => {
    await writeTree(root, { 'out/backup/a.txt': 'aaa' });
    const sizes = await scanJobSizes(manifest(), {
      signal: new AbortController().signal,
      jobs: new Set(['vault']),
    });
    expect(Object.fromEntries(sizes)).toEqual({ vault: { files: 1, bytes: 3 } });
  });
});
