/** Why the path jail refused a path. */
export type PathDenialReason =
  /** The path contains a NUL byte (it would be cut short by the OS). */
  | 'nul-byte'
  /** The path is relative; the jail only takes absolute paths. */
  | 'not-absolute'
  /** The path contains a `..` component. */
  | 'dot-dot'
  /** Longer than PATH_MAX (4096 bytes) or a component longer than NAME_MAX (255 bytes). */
  | 'too-long'
  /** Not under any allowed root. */
  | 'outside-roots'
  /** A write under a read-only root. */
  | 'read-only'
  /** A symlink on the way leads out of the root the path is under. */
  | 'symlink-escape'
  /** More than 40 symlinks on the way (a loop, or a maze). */
  | 'symlink-loop'
  /** The allowed root itself does not exist or is not a directory. */
  | 'root-missing'
  /** What was opened is not what was checked: a symlink or directory was swapped in after the check. */
  | 'swapped';

const HINTS: Record<PathDenialReason, string> = {
  'nul-byte': 'remove the NUL byte from the path',
  'not-absolute': 'use an absolute path under one of the allowed roots',
  'dot-dot': 'use the path without ".." components',
  'too-long': 'paths are limited to 4096 bytes and 255 bytes per component',
  'outside-roots':
    'add the directory to [security] allowed_paths in star.toml, or pick a path under an allowed root',
  'read-only': 'the root is read-only; set access = "rw" for it in star.toml to allow writes',
  'symlink-escape':
    'the link points outside its allowed root; replace it with the real file or allow its target',
  'symlink-loop': 'check the path for a symlink loop',
  'root-missing': 'create the directory or fix [security] allowed_paths in star.toml',
  swapped: 'the file changed while it was being opened; if nothing is tampering with the tree, retry',
};

/**
 * A path the jail refused. `code` matches the gRPC and proto `PERMISSION_DENIED`, so the Star
 * reports it as `ERROR_CODE_PERMISSION_DENIED` with `path` as the offending path.
 */
export class PathDeniedError extends Error {
  override readonly name = 'PathDeniedError';
  readonly code = 'PERMISSION_DENIED' as const;
  readonly path: string;
  readonly reason: PathDenialReason;
  readonly hint: string;

  constructor(path: string, reason: PathDenialReason, detail: string) {
    super(`path denied (${reason}): ${detail}`);
    this.path = path;
    this.reason = reason;
    this.hint = HINTS[reason];
  }
}

export function isPathDeniedError(value: unknown): value is PathDeniedError {
  return value instanceof PathDeniedError;
}
