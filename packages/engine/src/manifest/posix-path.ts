/**
 * The few POSIX path operations manifests need, written out so parsing stays free of `node:path`
 * and can run in a browser bundle as well as in Node and Deno.
 */

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/');
}

/** Collapses `.`, `..`, repeated and trailing slashes; `..` never climbs above `/`. */
export function normalizePath(path: string): string {
  const absolute = isAbsolutePath(path);
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export function joinPath(base: string, path: string): string {
  return normalizePath(isAbsolutePath(path) ? path : `${base}/${path}`);
}

export function dirnamePath(path: string): string {
  const normal = normalizePath(path);
  const cut = normal.lastIndexOf('/');
  if (cut < 0) return '.';
  return cut === 0 ? '/' : normal.slice(0, cut);
}

/** True when `inner` equals `outer` or lies below it (both absolute and normalised). */
export function isPathInside(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const prefix = outer.endsWith('/') ? outer : `${outer}/`;
  return inner.startsWith(prefix);
}

/** `inner` relative to `outer`, for a path already known to be inside it (`''` when equal). */
export function relativeInside(inner: string, outer: string): string {
  if (inner === outer) return '';
  return inner.slice(outer.endsWith('/') ? outer.length : outer.length + 1);
}
