import { isAbsolute, relative, sep } from 'node:path';
import { isPartialPath } from './atomic-file.ts';

/** The folder part of a job-relative path ('' at the top). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * Scan filter for `root`: partial files, plus the given absolute paths where they fall inside it
 * and their suffixed siblings (an audit log's `.head` anchor and its temp files).
 */
export function ignoreWithin(root: string, paths: readonly string[]): (path: string) => boolean {
  const inside = paths.flatMap((path) => {
    const rel = relative(root, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? [rel.split(sep).join('/')] : [];
  });
  return (path) => isPartialPath(path) || inside.some((rel) => path === rel || path.startsWith(`${rel}.`));
}
