import { OrbitError } from '../errors.ts';

const HINTS: Readonly<Record<string, string>> = {
  ENOENT: 'check that the path exists and is spelled correctly',
  EACCES: 'grant the Orbit user read permission on it, or exclude it',
  EPERM: 'grant the Orbit user read permission on it, or exclude it',
  ENOTDIR: 'a part of the path is not a directory; check the path',
  EISDIR: 'the path is a directory where a file was expected',
  ELOOP: 'the path has too many levels of symbolic links',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or lower concurrency',
};

/** Turns a Node/Deno filesystem error into an `OrbitError` that names the path and the failed action. */
export function toFsError(error: unknown, path: string, action: string): OrbitError {
  if (error instanceof OrbitError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const reason = error instanceof Error ? error.message : String(error);
  return new OrbitError(code === 'ENOENT' ? 'PATH_NOT_FOUND' : 'IO', `cannot ${action}: ${reason}`, {
    path,
    hint: HINTS[code] ?? 'check the path, its permissions and the disk',
    cause: error,
  });
}
