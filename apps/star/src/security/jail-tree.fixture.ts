import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PathDeniedError } from './path-denied-error.ts';
import { type AllowedRoot, createPathJail, type PathJail } from './path-jail.ts';

/**
 * A real directory tree for the jail tests: a read-write root `data`, a read-only sibling root
 * `archive`, a read-only root with a read-write root nested inside, and a `secret` directory
 * outside every root, plus symlinks of every hostile and harmless shape.
 */
export interface JailTree {
  readonly base: string;
  readonly data: string;
  readonly archive: string;
  readonly shelf: string;
  readonly secret: string;
  readonly roots: AllowedRoot[];
  readonly jail: PathJail;
  readonly denials: PathDeniedError[];
  cleanup(): void;
}

export function createJailTree(): JailTree {
  // realpath: on some systems the temp dir itself sits behind a symlink.
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'orbit-jail-')));
  const data = join(base, 'data');
  const archive = join(base, 'archive');
  const shelf = join(base, 'shelf');
  const secret = join(base, 'secret');
  for (const dir of [data, join(data, 'dir', 'sub'), archive, join(shelf, 'inner'), secret]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(data, 'file.txt'), 'data file');
  writeFileSync(join(data, 'dir', 'sub', 'file.bin'), 'sub file');
  writeFileSync(join(data, 'dir', 'ünïcödé файл.txt'), 'unicode');
  writeFileSync(join(data, '...'), 'three dots is a name');
  writeFileSync(join(data, '%2e%2e'), 'encoded-looking name');
  writeFileSync(join(archive, 'a.txt'), 'archived');
  writeFileSync(join(secret, 'key.txt'), 'SECRET');
  writeFileSync(join(secret, 'file.bin'), 'SECRET');

  const links: [string, string][] = [
    ['link-inside', 'dir/sub'],
    ['link-abs-inside', join(data, 'dir')],
    ['chain1', 'chain2'],
    ['chain2', 'chain3'],
    ['chain3', 'dir'],
    ['self', '.'],
    ['dirlink-up', 'dir/sub/../..'],
    ['dangling-in', 'dir/not-yet'],
    ['link-to-root', '/'],
    ['link-to-parent', '..'],
    ['link-to-base', base],
    ['link-to-sibling', '../archive'],
    ['link-to-sibling-abs', join(archive, 'a.txt')],
    ['link-to-secret-file', join(secret, 'key.txt')],
    ['dangling-out', '/nonexistent-orbit-jail/file'],
    ['dangling-out-rel', '../nowhere/file'],
    ['chain-out1', 'chain-out2'],
    ['chain-out2', 'chain-out3'],
    ['chain-out3', '../../..'],
    ['loop-a', 'loop-b'],
    ['loop-b', 'loop-a'],
    ['sneaky', 'dir/../../secret'],
    ['missing-then-up', 'not-there/../../secret/key.txt'],
    ['abs-dotdot', `${data}/../secret`],
    ['dir/mid-link', '../../secret'],
  ];
  for (const [path, target] of links) symlinkSync(target, join(data, path));

  const roots: AllowedRoot[] = [
    { path: data, access: 'rw' },
    { path: archive, access: 'ro' },
    { path: shelf, access: 'ro' },
    { path: join(shelf, 'inner'), access: 'rw' },
  ];
  const denials: PathDeniedError[] = [];
  const jail = createPathJail(roots, { onDenied: (error) => denials.push(error) });
  return {
    base,
    data,
    archive,
    shelf,
    secret,
    roots,
    jail,
    denials,
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
