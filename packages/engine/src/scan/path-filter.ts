import picomatch from 'picomatch';
import { OrbitError } from '../errors.ts';

/**
 * Include/exclude selection for paths relative to a job root, with `/` separators.
 *
 * Patterns are picomatch globs with `dot: true`, read the way .gitignore reads them:
 * - a pattern without `/` (`*.tmp`, `node_modules`) matches a name at any depth;
 *   one with `/` (`docs/**`, `/build`) is anchored at the root (a leading `/` just anchors);
 * - a trailing `/` (`cache/`) matches directories only;
 * - a pattern that matches a directory also covers everything inside it.
 * A file is selected when include is empty or some include pattern matches it or a parent
 * directory, and no exclude pattern does: exclude wins. Excluded directories are pruned.
 */
export interface PathFilter {
  /** Whether the file, symlink or special file at `path` is selected (parents are checked too). */
  includesFile(path: string): boolean;
  /** Like `includesFile`, for a walk that already pruned every excluded parent directory. */
  matchesFile(path: string): boolean;
  /** Whether the directory at `path` is excluded: a walk must not descend into it. */
  excludesDirectory(path: string): boolean;
}

interface CompiledPattern {
  readonly directoryOnly: boolean;
  /** Tests the whole path for anchored patterns, the last segment otherwise. */
  test(path: string): boolean;
}

export function createPathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const includes = include.map((pattern) => compilePattern(pattern, 'include'));
  const excludes = exclude.map((pattern) => compilePattern(pattern, 'exclude'));
  // `dir/**` also names `dir` itself, so the walk can prune it before listing it.
  const excludedTrees = exclude
    .filter((pattern) => /\/\*\*\/*$/.test(pattern))
    .map((pattern) => compilePattern(pattern.replace(/\/\*\*\/*$/, ''), 'exclude'));

  const excludesDirectory = (path: string): boolean =>
    excludes.some((pattern) => pattern.test(path)) || excludedTrees.some((pattern) => pattern.test(path));

  const isIncluded = (path: string): boolean => {
    if (includes.length === 0) return true;
    if (includes.some((pattern) => !pattern.directoryOnly && pattern.test(path))) return true;
    return parentsOf(path).some((parent) => includes.some((pattern) => pattern.test(parent)));
  };

  const matchesFile = (path: string): boolean =>
    !excludes.some((pattern) => !pattern.directoryOnly && pattern.test(path)) && isIncluded(path);

  return {
    excludesDirectory,
    matchesFile,
    includesFile: (path) => !parentsOf(path).some(excludesDirectory) && matchesFile(path),
  };
}

/** `a/b/c` → `a`, `a/b`. */
function parentsOf(path: string): string[] {
  const parents: string[] = [];
  for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
    parents.push(path.slice(0, slash));
  }
  return parents;
}

function compilePattern(pattern: string, list: 'include' | 'exclude'): CompiledPattern {
  const invalid = (why: string, hint: string): OrbitError =>
    new OrbitError('INVALID_ARGUMENT', `${list} pattern "${pattern}" ${why}`, { keyPath: list, hint });
  if (pattern.trim() === '') throw invalid('is empty', 'remove the empty pattern');
  if (pattern.startsWith('!')) {
    throw invalid(
      'starts with "!"',
      list === 'include' ? 'move the pattern to exclude without the "!"' : 'list it under include instead',
    );
  }
  if (pattern.includes('\\')) throw invalid('contains "\\"', 'separate path segments with "/"');
  const directoryOnly = pattern.endsWith('/');
  let body = pattern.replace(/\/+$/, '').replace(/^\.\//, '');
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\/+/, '');
  if (body === '') throw invalid('names no path', 'give a path or glob, e.g. "docs/**"');
  const isMatch = picomatch(body, { dot: true });
  return {
    directoryOnly,
    test: anchored ? (path) => isMatch(path) : (path) => isMatch(path.slice(path.lastIndexOf('/') + 1)),
  };
}
