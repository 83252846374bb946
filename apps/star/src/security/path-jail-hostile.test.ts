import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJailTree, type JailTree } from './jail-tree.fixture.ts';
import { isPathDeniedError, type PathDenialReason } from './path-denied-error.ts';
import type { JailAccess } from './path-jail.ts';

let tree: JailTree;
beforeAll(() => {
  tree = createJailTree();
});
afterAll(() => tree.cleanup());

interface Hostile {
  readonly path: string;
  readonly access: JailAccess;
  /** The exact refusal expected, or 'inside' when the only demand is that it stays in its root. */
  readonly expect: PathDenialReason | 'inside';
}

/** Builds a few hundred hostile requests from spellings of the same few attacks. */
function hostilePaths(t: JailTree): Hostile[] {
  const cases: Hostile[] = [];
  const add = (path: string, expect: Hostile['expect'], access: JailAccess = 'read') =>
    cases.push({ path, access, expect });
  const prefixes = [
    t.data,
    `${t.data}/`,
    `${t.data}//`,
    `${t.data}/./`,
    `${t.data}/dir/`,
    `${t.data}/dir/sub/`,
    `${t.data}/dir/./sub//`,
  ];
  const climbs = [
    '..',
    '../',
    '../../',
    '../../../../../../',
    '../secret/key.txt',
    '../../secret',
    'dir/../../secret',
    './../',
    '../data/../secret',
    `..${'/..'.repeat(30)}/etc/passwd`,
  ];
  for (const prefix of prefixes) {
    for (const climb of climbs) {
      const glue = prefix.endsWith('/') ? '' : '/';
      for (const access of ['read', 'write'] as const) add(`${prefix}${glue}${climb}`, 'dot-dot', access);
    }
  }
  // Spellings that look like escapes to a human or a URL decoder but are ordinary names to the OS.
  const lookAlikes = [
    '%2e%2e/secret',
    '%2e%2e%2fsecret',
    '..%2f..%2fsecret',
    '%252e%252e/secret',
    '.%2e/secret',
    '..\\..\\secret',
    '\u2025/secret',
    '\uFF0E\uFF0E/secret',
    '\u2024\u2024/secret',
    '..\u2215secret',
    '..\uFF0Fsecret',
    '\u2216..\u2216secret',
    '. ./secret',
    '.. /secret',
    ' ../secret',
    '...',
    '..../secret',
    '.\u200B./secret',
    'ａｂｃ/x',
    'dir/ünïcödé файл.txt',
    'dir/u\u0308nicode',
    '%00',
    '\\0',
    '$HOME',
    '~',
    '~root',
  ];
  for (const prefix of prefixes) {
    for (const name of lookAlikes) {
      const glue = prefix.endsWith('/') ? '' : '/';
      add(`${prefix}${glue}${name}`, 'inside');
    }
  }
  const escapes: [string, PathDenialReason][] = [
    ['link-to-root/etc/passwd', 'symlink-escape'],
    ['link-to-root', 'symlink-escape'],
    ['link-to-parent/secret/key.txt', 'symlink-escape'],
    ['link-to-parent', 'symlink-escape'],
    ['link-to-base/secret', 'symlink-escape'],
    ['link-to-sibling/a.txt', 'symlink-escape'],
    ['link-to-sibling-abs', 'symlink-escape'],
    ['link-to-secret-file', 'symlink-escape'],
    ['dangling-out', 'symlink-escape'],
    ['dangling-out-rel', 'symlink-escape'],
    ['chain-out1', 'symlink-escape'],
    ['chain-out1/etc', 'symlink-escape'],
    ['loop-a', 'symlink-loop'],
    ['loop-b/x', 'symlink-loop'],
    ['sneaky', 'symlink-escape'],
    ['sneaky/key.txt', 'symlink-escape'],
    ['missing-then-up', 'symlink-escape'],
    ['abs-dotdot', 'symlink-escape'],
    ['dir/mid-link', 'symlink-escape'],
    ['dir/mid-link/key.txt', 'symlink-escape'],
    ['chain1/mid-link/key.txt', 'symlink-escape'],
    ['self/link-to-root/etc', 'symlink-escape'],
    ['link-inside/../../link-to-root', 'dot-dot'],
  ];
  for (const [suffix, reason] of escapes) {
    for (const spelling of [
      `${t.data}/${suffix}`,
      `${t.data}//${suffix}/`,
      `${t.data}/./${suffix}`,
      `${t.data}/self/${suffix}`,
    ]) {
      add(spelling, reason, 'read');
      add(spelling, reason, 'write');
    }
  }
  const outside = [
    '/',
    '/etc/passwd',
    '/etc',
    t.base,
    `${t.base}/`,
    `${t.secret}/key.txt`,
    `${t.data}-evil/x`,
    `${t.data}evil`,
    `${t.data.slice(0, -1)}`,
    '/proc/self/root/etc/passwd',
    `/.${t.data}`,
  ];
  for (const path of outside) {
    add(path, path === `/.${t.data}` ? 'inside' : 'outside-roots');
  }
  for (const path of [
    'data/file.txt',
    '',
    ' /etc',
    '~/x',
    '.',
    './x',
    '..',
    `.${t.data}`,
    'C:\\Windows',
    '\\\\server\\share',
  ]) {
    add(path, 'not-absolute');
  }
  for (const path of [
    `${t.data}/file.txt\0.jpg`,
    '\0',
    `${t.data}\0/../`,
    `\0${t.data}`,
    `${t.data}/dir/\0`,
  ]) {
    add(path, 'nul-byte');
  }
  add(`${t.data}/${'a'.repeat(256)}`, 'too-long');
  add(`${t.data}/${'ä'.repeat(128)}`, 'too-long');
  add(`${t.data}/${'a/'.repeat(2100)}`, 'too-long');
  for (const path of [
    `${t.archive}/a.txt`,
    `${t.archive}/new.txt`,
    t.archive,
    `${t.shelf}/x`,
    `${t.shelf}/inner-not/x`,
  ]) {
    add(path, 'read-only', 'write');
  }
  return cases;
}

describe('path jail against hostile paths', () => {
  it('refuses every escape and keeps every odd-but-harmless name inside its root', async () => {
    const cases = hostilePaths(tree);
    expect(cases.length).toBeGreaterThan(500);
    const deniedBefore = tree.jail.stats().denied;
    let expectedDenials = 0;
    const failures: string[] = [];
    for (const { path, access, expect: wanted } of cases) {
      const shown = `${JSON.stringify(path).slice(0, 120)} (${access})`;
      try {
        const jailed = await tree.jail.resolve(path, access);
        const root = tree.roots.find((candidate) => candidate.path === jailed.root.path);
        const inside =
          root !== undefined &&
          (jailed.realPath === root.path || jailed.realPath.startsWith(`${root.path}/`));
        if (wanted !== 'inside')
          failures.push(`${shown}: accepted as ${jailed.realPath}, expected ${wanted}`);
        else if (!inside) failures.push(`${shown}: resolved outside its root to ${jailed.realPath}`);
      } catch (error) {
        if (!isPathDeniedError(error)) throw error;
        expectedDenials += 1;
        if (wanted === 'inside') failures.push(`${shown}: denied (${error.reason}) but is a harmless name`);
        else if (error.reason !== wanted)
          failures.push(`${shown}: denied as ${error.reason}, expected ${wanted}`);
        else {
          expect(error.code).toBe('PERMISSION_DENIED');
          expect(error.path).toBe(path);
          expect(error.hint.length).toBeGreaterThan(0);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tree.jail.stats().denied - deniedBefore).toBe(expectedDenials);
    expect(tree.denials.length).toBeGreaterThanOrEqual(expectedDenials);
  });

  it('never opens a file outside the roots through any hostile path', async () => {
    for (const { path, access } of hostilePaths(tree)) {
      const flags = access === 'read' ? 'r' : 'r+';
      try {
        const file = await tree.jail.open(path, flags);
        const content = await file.handle.readFile('utf8');
        await file.handle.close();
        expect(content, JSON.stringify(path)).not.toBe('SECRET');
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Refused by the jail, or an ordinary OS error for a harmless name that does not exist.
        expect(
          ['PERMISSION_DENIED', 'ENOENT', 'EISDIR', 'ENOTDIR', 'ENAMETOOLONG'],
          JSON.stringify(path),
        ).toContain(code);
      }
    }
  });
});
