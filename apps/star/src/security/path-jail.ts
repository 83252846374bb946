import { Buffer } from 'node:buffer';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath, stat } from 'node:fs/promises';
import { type PathDenialReason, PathDeniedError } from './path-denied-error.ts';

export type RootAccess = 'ro' | 'rw';
export type JailAccess = 'read' | 'write';

export interface AllowedRoot {
  readonly path: string;
  readonly access: RootAccess;
}

/** A path the jail accepted. */
export interface JailedPath {
  /** The path as asked for, with `.`, empty and trailing components dropped. */
  readonly requested: string;
  /** Where it really is: every existing component resolved through symlinks, inside `root`. */
  readonly realPath: string;
  /** The allowed root it lies under (the most specific one when roots nest). */
  readonly root: AllowedRoot;
  readonly access: JailAccess;
  /** False when some tail of the path does not exist yet (a write target). */
  readonly exists: boolean;
  /**
   * Set by `resolveEntry` when the path itself is a symlink: `realPath` is the link, to be replaced
   * by a rename, never opened or written through (opening it is refused as swapped).
   */
  readonly symlink?: true;
}

/** Flags for `open`: read, read-write, truncate-or-create, create-only, append. */
export type JailOpenFlags = 'r' | 'r+' | 'w' | 'wx' | 'a';

export interface JailedFile {
  readonly handle: FileHandle;
  readonly path: JailedPath;
}

export interface PathJailStats {
  readonly resolved: number;
  readonly denied: number;
  readonly deniedByReason: Readonly<Partial<Record<PathDenialReason, number>>>;
}

export interface PathJailOptions {
  /** Called for every refusal, e.g. to log it; must not throw. */
  readonly onDenied?: (error: PathDeniedError) => void;
}

export interface PathJail {
  readonly roots: readonly AllowedRoot[];
  resolve(requestedPath: string, access: JailAccess): Promise<JailedPath>;
  /**
   * Like `resolve`, but the last component is not followed: its folder is resolved (and must stay
   * inside the root), and a symlink there is returned as itself with `symlink` set, whatever it
   * points at. For a target that is replaced by a rename; a path that is the root itself resolves.
   */
  resolveEntry(requestedPath: string, access: JailAccess): Promise<JailedPath>;
  /** Resolves, opens with O_NOFOLLOW and checks that the opened file is the resolved one. */
  open(requestedPath: string, flags: JailOpenFlags, mode?: number): Promise<JailedFile>;
  /** Opens a path resolved earlier, re-checking it: catches symlinks swapped in since. */
  openResolved(path: JailedPath, flags: JailOpenFlags, mode?: number): Promise<JailedFile>;
  stats(): PathJailStats;
  /** Throws a PathDeniedError, counted and logged like the jail's own refusals (for helpers built on it). */
  refuse(path: string, reason: PathDenialReason, detail: string): never;
}

const PATH_MAX = 4096;
const NAME_MAX = 255;
/** Linux's own limit on symlinks followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40;

const OPEN_FLAGS: Record<JailOpenFlags, { bits: number; access: JailAccess }> = {
  r: { bits: constants.O_RDONLY, access: 'read' },
  'r+': { bits: constants.O_RDWR, access: 'write' },
  // No O_TRUNC: truncating happens only after the opened file is proven to be the checked one.
  w: { bits: constants.O_WRONLY | constants.O_CREAT, access: 'write' },
  wx: { bits: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, access: 'write' },
  a: { bits: constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, access: 'write' },
};

/**
 * The Star's path jail. Paths must be absolute; `..` is refused outright rather than resolved, so
 * no spelling of a path can climb out. Every existing component is resolved with lstat/readlink
 * (never realpath on the whole path, which would follow a link out before we could look at it).
 */
export function createPathJail(allowed: readonly AllowedRoot[], options: PathJailOptions = {}): PathJail {
  const roots = allowed.map(validateRoot);
  // Most specific first, so a read-write directory inside a read-only root gets its own access.
  const bySpecificity = [...roots].sort((a, b) => b.path.length - a.path.length);
  let resolvedCount = 0;
  const deniedByReason: Partial<Record<PathDenialReason, number>> = {};

  function deny(path: string, reason: PathDenialReason, detail: string): never {
    const error = new PathDeniedError(path, reason, detail);
    deniedByReason[reason] = (deniedByReason[reason] ?? 0) + 1;
    try {
      options.onDenied?.(error);
    } catch {
      // A broken log hook must not turn a refusal into a different failure.
    }
    throw error;
  }

  async function resolve(requestedPath: string, access: JailAccess): Promise<JailedPath> {
    const shown = JSON.stringify(requestedPath);
    if (typeof requestedPath !== 'string' || requestedPath.includes('\0')) {
      return deny(String(requestedPath), 'nul-byte', `${shown} contains a NUL byte`);
    }
    if (!requestedPath.startsWith('/'))
      return deny(requestedPath, 'not-absolute', `${shown} is not absolute`);
    if (Buffer.byteLength(requestedPath) > PATH_MAX) {
      return deny(requestedPath, 'too-long', `path is ${Buffer.byteLength(requestedPath)} bytes`);
    }
    const components = requestedPath.split('/').filter((part) => part !== '' && part !== '.');
    if (components.includes('..')) return deny(requestedPath, 'dot-dot', `${shown} contains ".."`);
    if (components.some((part) => Buffer.byteLength(part) > NAME_MAX)) {
      return deny(requestedPath, 'too-long', `${shown} has a component over ${NAME_MAX} bytes`);
    }
    const normalized = `/${components.join('/')}`;
    const root = bySpecificity.find((candidate) => isWithin(normalized, candidate.path));
    if (root === undefined) {
      return deny(requestedPath, 'outside-roots', `${shown} is not under any allowed root`);
    }
    if (access === 'write' && root.access === 'ro') {
      return deny(requestedPath, 'read-only', `${shown} is under read-only root ${root.path}`);
    }
    const rootReal = await realRoot(root, requestedPath);
    const tail = components.slice(splitPath(root.path).length);
    const walked = await walk(rootReal, root, tail, requestedPath);
    resolvedCount += 1;
    return { requested: normalized, realPath: walked.realPath, root, access, exists: walked.exists };
  }

  async function resolveEntry(requestedPath: string, access: JailAccess): Promise<JailedPath> {
    const components =
      typeof requestedPath === 'string' && requestedPath.startsWith('/') && !requestedPath.includes('\0')
        ? requestedPath.split('/').filter((part) => part !== '' && part !== '.')
        : [];
    const name = components.at(-1);
    const normalized = `/${components.join('/')}`;
    const root = bySpecificity.find((candidate) => isWithin(normalized, candidate.path));
    // Everything `resolve` refuses lexically, and the root itself, take its path (and its refusal).
    if (
      name === undefined ||
      components.includes('..') ||
      Buffer.byteLength(name) > NAME_MAX ||
      Buffer.byteLength(requestedPath) > PATH_MAX ||
      root === undefined ||
      normalized === root.path
    ) {
      return resolve(requestedPath, access);
    }
    const parent = await resolve(`/${components.slice(0, -1).join('/')}`, access);
    const realPath = parent.realPath === '/' ? `/${name}` : `${parent.realPath}/${name}`;
    const info = parent.exists
      ? await lstat(realPath).catch((error: unknown) => {
          if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined;
          throw error;
        })
      : undefined;
    return {
      requested: normalized,
      realPath,
      root: parent.root,
      access,
      exists: info !== undefined,
      ...(info?.isSymbolicLink() ? { symlink: true as const } : {}),
    };
  }

  async function realRoot(root: AllowedRoot, requestedPath: string): Promise<string> {
    try {
      const real = await realpath(root.path);
      if ((await stat(real)).isDirectory()) return real;
    } catch {
      // Reported below, the same as a root that is not a directory.
    }
    return deny(
      requestedPath,
      'root-missing',
      `allowed root ${root.path} does not exist or is not a directory`,
    );
  }

  /** Follows `tail` from the root's real path one component at a time, links included. */
  async function walk(rootReal: string, root: AllowedRoot, tail: string[], requestedPath: string) {
    const shown = JSON.stringify(requestedPath);
    const current = splitPath(rootReal);
    const rootDepth = current.length;
    const pending = [...tail];
    let hops = 0;
    for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
      if (part === '.' || part === '') continue;
      if (part === '..') {
        // Only link targets reach here; `current` is physical, so popping is exact.
        if (current.length <= rootDepth) {
          return deny(
            requestedPath,
            'symlink-escape',
            `a symlink in ${shown} climbs above root ${root.path}`,
          );
        }
        current.pop();
        continue;
      }
      const candidate = `/${[...current, part].join('/')}`;
      let info: Stats;
      try {
        info = await lstat(candidate);
      } catch (error) {
        if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) {
          // Nothing exists from here on, so nothing below can be a link: the rest resolves lexically.
          for (const rest of [part, ...pending]) {
            if (rest === '..') {
              if (current.length <= rootDepth) {
                return deny(
                  requestedPath,
                  'symlink-escape',
                  `a symlink in ${shown} climbs above root ${root.path}`,
                );
              }
              current.pop();
            } else if (rest !== '.' && rest !== '') {
              current.push(rest);
            }
          }
          return { realPath: `/${current.join('/')}`, exists: false };
        }
        throw error;
      }
      if (!info.isSymbolicLink()) {
        current.push(part);
        continue;
      }
      hops += 1;
      if (hops > MAX_SYMLINK_HOPS) {
        return deny(requestedPath, 'symlink-loop', `${shown} passes more than ${MAX_SYMLINK_HOPS} symlinks`);
      }
      const target = await readlink(candidate);
      if (target.includes('\0'))
        return deny(requestedPath, 'symlink-escape', `link ${candidate} has a NUL byte`);
      if (target.startsWith('/')) {
        const inside = rebaseAbsoluteTarget(target, root, rootReal);
        if (inside === undefined) {
          return deny(
            requestedPath,
            'symlink-escape',
            `link ${candidate} points to ${target}, outside root ${root.path}`,
          );
        }
        current.splice(rootDepth);
        pending.unshift(...inside);
      } else {
        pending.unshift(...target.split('/'));
      }
    }
    return { realPath: `/${current.join('/')}`, exists: true };
  }

  async function openResolved(path: JailedPath, flags: JailOpenFlags, mode = 0o600): Promise<JailedFile> {
    const spec = OPEN_FLAGS[flags];
    if (spec.access === 'write' && path.access !== 'write') {
      return deny(path.requested, 'read-only', `${path.requested} was resolved for reading, not writing`);
    }
    let handle: FileHandle;
    try {
      handle = await open(path.realPath, spec.bits | constants.O_NOFOLLOW, mode);
    } catch (error) {
      if (isCode(error, 'ELOOP')) {
        return deny(path.requested, 'swapped', `${path.realPath} became a symlink after it was checked`);
      }
      throw error;
    }
    try {
      await requireSameFile(handle, path);
      if (flags === 'w') await handle.truncate(0);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return { handle, path };
  }

  /** The opened file must still be at the resolved real path: a directory swapped for a link moves it. */
  async function requireSameFile(handle: FileHandle, path: JailedPath): Promise<void> {
    const opened = await handle.stat();
    let onDisk: Stats | undefined;
    try {
      onDisk = await lstat(path.realPath);
    } catch {
      onDisk = undefined;
    }
    const fdPath = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    const sameInode = onDisk !== undefined && onDisk.dev === opened.dev && onDisk.ino === opened.ino;
    // /proc is Linux-only; elsewhere the inode comparison stands alone.
    const samePath = fdPath === undefined || fdPath === path.realPath;
    if (!sameInode || !samePath) {
      deny(path.requested, 'swapped', `opened ${fdPath ?? 'a different file'} instead of ${path.realPath}`);
    }
  }

  return {
    roots,
    resolve,
    resolveEntry,
    async open(requestedPath, flags, mode) {
      return openResolved(await resolve(requestedPath, OPEN_FLAGS[flags].access), flags, mode);
    },
    openResolved,
    refuse: deny,
    stats() {
      const denied = Object.values(deniedByReason).reduce((sum, count) => sum + count, 0);
      return { resolved: resolvedCount, denied, deniedByReason: { ...deniedByReason } };
    },
  };
}

function validateRoot(root: AllowedRoot, index: number): AllowedRoot {
  const where = `allowed_paths[${index}]`;
  if (typeof root.path !== 'string' || !root.path.startsWith('/') || root.path.includes('\0')) {
    throw new Error(`${where}: root ${JSON.stringify(root.path)} must be an absolute path`);
  }
  const parts = splitPath(root.path);
  if (parts.includes('..')) throw new Error(`${where}: root ${root.path} must not contain ".."`);
  if (root.access !== 'ro' && root.access !== 'rw') {
    throw new Error(`${where}: access must be "ro" or "rw", got ${JSON.stringify(root.access)}`);
  }
  return { path: `/${parts.join('/')}`, access: root.access };
}

/**
 * An absolute link target as components below the root's real path, or undefined if it does not
 * start inside the root. Any `..` after the root prefix is left for the walk to resolve physically.
 */
function rebaseAbsoluteTarget(target: string, root: AllowedRoot, rootReal: string): string[] | undefined {
  const parts = splitPath(target);
  // A link may name the root by its configured path even when that path is itself a link.
  for (const base of [rootReal, root.path]) {
    const baseParts = splitPath(base);
    if (baseParts.every((part, index) => parts[index] === part)) return parts.slice(baseParts.length);
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(`${root}/`);
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
