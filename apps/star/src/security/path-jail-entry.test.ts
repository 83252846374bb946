import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJailTree, type JailTree } from './jail-tree.fixture.ts';
import { isPathDeniedError, type PathDenialReason } from './path-denied-error.ts';

let tree: JailTree;
beforeAll(() => {
  tree = createJailTree();
});
afterAll(() => tree.cleanup());

async function refusal(run: () => Promise<unknown>): Promise<PathDenialReason | 'allowed'> {
  try {
    await run();
    return 'allowed';
  } catch (error) {
    if (isPathDeniedError(error)) return error.reason;
    throw error;
  }
}

describe('resolveEntry: the last component is not followed', () => {
  it('returns a symlink pointing outside the root as itself, and never opens it', async () => {
    const path = join(tree.data, 'link-to-secret-file');
    expect(await refusal(() => tree.jail.resolve(path, 'write'))).toBe('symlink-escape');
    const entry = await tree.jail.resolveEntry(path, 'write');
    expect(entry).toMatchObject({ realPath: path, exists: true, symlink: true });
    for (const flags of ['r', 'r+', 'w', 'a'] as const) {
      expect(await refusal(() => tree.jail.openResolved(entry, flags))).toBe('swapped');
    }
    expect(await readFile(join(tree.secret, 'key.txt'), 'utf8')).toBe('SECRET');
  });

  it('still refuses a path that runs through a symlink out of the root', async () => {
    for (const path of [
      join(tree.data, 'link-to-base', 'secret', 'key.txt'),
      join(tree.data, 'link-to-root', 'etc', 'passwd'),
      join(tree.data, 'link-to-parent', 'secret', 'new-file'),
    ]) {
      expect(await refusal(() => tree.jail.resolveEntry(path, 'write'))).toBe('symlink-escape');
    }
  });

  it('refuses what resolve refuses lexically, and resolves plain paths the same way', async () => {
    const cases: [string, PathDenialReason][] = [
      [`${tree.data}/../secret/key.txt`, 'dot-dot'],
      [`${tree.data}/dir/..`, 'dot-dot'],
      ['relative/file', 'not-absolute'],
      [`${tree.data}/a\0b`, 'nul-byte'],
      [join(tree.secret, 'key.txt'), 'outside-roots'],
      [join(tree.archive, 'a.txt'), 'read-only'],
      [join(tree.data, 'x'.repeat(256)), 'too-long'],
    ];
    for (const [path, reason] of cases) {
      expect(await refusal(() => tree.jail.resolveEntry(path, 'write'))).toBe(reason);
    }
    for (const path of [tree.data, join(tree.data, 'file.txt'), join(tree.data, 'dir', 'new', 'file')]) {
      expect(await tree.jail.resolveEntry(path, 'write')).toEqual(await tree.jail.resolve(path, 'write'));
    }
  });
});
