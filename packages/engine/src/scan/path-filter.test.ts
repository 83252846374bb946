import { describe, expect, it } from 'vitest';
import { OrbitError } from '../errors.ts';
import { createPathFilter } from './path-filter.ts';

function selected(include: string[], exclude: string[], paths: string[]): string[] {
  const filter = createPathFilter(include, exclude);
  return paths.filter((path) => filter.includesFile(path));
}

const PATHS = [
  'a.jpg',
  'photos/b.jpg',
  'photos/2024/c.JPG',
  'photos/2024/d.jpg',
  'docs/readme.md',
  'docs/api/index.md',
  'src/docs/notes.md',
  'notes.tmp',
  'src/cache/x.bin',
  'cache/y.bin',
  '.env',
  'src/.hidden/file.txt',
  'node_modules/pkg/index.js',
  'app/node_modules/pkg/index.js',
];

describe('include', () => {
  it('selects everything when empty', () => {
    expect(selected([], [], PATHS)).toEqual(PATHS);
  });

  it('matches **/*.jpg at any depth, case-sensitively', () => {
    expect(selected(['**/*.jpg'], [], PATHS)).toEqual(['a.jpg', 'photos/b.jpg', 'photos/2024/d.jpg']);
  });

  it('anchors docs/** at the root', () => {
    expect(selected(['docs/**'], [], PATHS)).toEqual(['docs/readme.md', 'docs/api/index.md']);
  });

  it('reads a pattern without a slash as a name at any depth', () => {
    expect(selected(['*.md'], [], PATHS)).toEqual([
      'docs/readme.md',
      'docs/api/index.md',
      'src/docs/notes.md',
    ]);
  });

  it('selects a whole directory named by a trailing-slash pattern', () => {
    expect(selected(['docs/'], [], PATHS)).toEqual([
      'docs/readme.md',
      'docs/api/index.md',
      'src/docs/notes.md',
    ]);
    expect(selected(['/docs/'], [], PATHS)).toEqual(['docs/readme.md', 'docs/api/index.md']);
  });

  it('matches dotfiles and files in dot directories', () => {
    expect(selected(['**/*.txt', '.env'], [], PATHS)).toEqual(['.env', 'src/.hidden/file.txt']);
  });

  it('selects a file when any of several patterns matches', () => {
    expect(selected(['*.tmp', 'cache/**'], [], PATHS)).toEqual(['notes.tmp', 'cache/y.bin']);
  });
});

describe('exclude', () => {
  it('drops *.tmp at any depth', () => {
    expect(selected([], ['*.tmp'], ['notes.tmp', 'a/b/c.tmp', 'a/keep.txt'])).toEqual(['a/keep.txt']);
  });

  it('wins over include', () => {
    expect(selected(['**/*.jpg'], ['photos/2024/**'], PATHS)).toEqual(['a.jpg', 'photos/b.jpg']);
  });

  it('prunes node_modules/ at any depth, and only directories', () => {
    const filter = createPathFilter([], ['node_modules/']);
    expect(filter.excludesDirectory('node_modules')).toBe(true);
    expect(filter.excludesDirectory('app/node_modules')).toBe(true);
    expect(filter.excludesDirectory('app/node_modules_old')).toBe(false);
    expect(filter.includesFile('app/node_modules/pkg/index.js')).toBe(false);
    expect(filter.matchesFile('node_modules')).toBe(true);
  });

  it('prunes every directory named by **/cache/**', () => {
    const filter = createPathFilter([], ['**/cache/**']);
    expect(filter.excludesDirectory('cache')).toBe(true);
    expect(filter.excludesDirectory('src/cache')).toBe(true);
    expect(filter.excludesDirectory('src/cached')).toBe(false);
    expect(selected([], ['**/cache/**'], PATHS)).not.toContain('src/cache/x.bin');
    expect(selected([], ['**/cache/**'], PATHS)).not.toContain('cache/y.bin');
  });

  it('prunes anchored and nested excludes without touching look-alikes elsewhere', () => {
    const filter = createPathFilter([], ['docs/api', 'src/**/notes.md']);
    expect(filter.excludesDirectory('docs/api')).toBe(true);
    expect(filter.excludesDirectory('src/docs/api')).toBe(false);
    expect(selected([], ['docs/api', 'src/**/notes.md'], PATHS)).toEqual(
      PATHS.filter((path) => path !== 'docs/api/index.md' && path !== 'src/docs/notes.md'),
    );
  });

  it('excludes dotfiles when a pattern names them', () => {
    expect(selected([], ['.*'], PATHS)).not.toContain('.env');
    expect(selected([], ['.*'], PATHS)).not.toContain('src/.hidden/file.txt');
  });
});

describe('invalid patterns', () => {
  it.each([[''], ['  '], ['!*.jpg'], ['a\\b'], ['/']])('rejects %j with a hint', (pattern) => {
    const error = (() => {
      try {
        createPathFilter([pattern], []);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OrbitError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', location: { keyPath: 'include' } });
    expect((error as OrbitError).hint).toBeTruthy();
  });
});
