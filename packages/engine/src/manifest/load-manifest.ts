import { lstat, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OrbitError } from '../errors.ts';
import type { Env } from './env-interpolation.ts';
import { type ManifestIssue, placeIssue } from './manifest-issue.ts';
import type { Manifest } from './manifest-types.ts';
import { parseManifest } from './parse-manifest.ts';
import { transitiveDependencies } from './path-overlap-checks.ts';
import { isPathInside } from './posix-path.ts';

export interface LoadManifestOptions {
  readonly env?: Env;
  /** Check that local sources exist and local destinations are not files (default true, as in the CLI). */
  readonly checkPaths?: boolean;
}

/** Reads, parses and validates a manifest file, then checks its local paths before any byte moves. */
export async function loadManifest(path: string, options: LoadManifestOptions = {}): Promise<Manifest> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OrbitError(
      missing ? 'NOT_FOUND' : 'IO',
      missing ? 'manifest not found' : 'cannot read manifest',
      {
        path: file,
        hint: missing
          ? 'check the path, or create one from packages/engine/examples/orbit.manifest.toml'
          : undefined,
        cause: error,
      },
    );
  }
  const manifest = parseManifest(text, {
    file,
    baseDir: dirname(file),
    ...(options.env ? { env: options.env } : {}),
  });
  if (options.checkPaths === false) return manifest;
  const issues = await filesystemIssues(manifest);
  if (issues.length === 0) return manifest;
  const code = issues.every((issue) => issue.message.includes('does not exist'))
    ? 'PATH_NOT_FOUND'
    : 'MANIFEST_INVALID';
  throw OrbitError.fromIssues(
    code,
    issues.map((issue) => placeIssue(issue, file, manifest.sourceMap)),
  );
}

async function filesystemIssues(manifest: Manifest): Promise<ManifestIssue[]> {
  const issues: ManifestIssue[] = [];
  for (const [index, job] of manifest.jobs.entries()) {
    const where = manifest.locations[job.name];
    if (where?.source.kind === 'local') {
      const found = await statOrUndefined(where.source.path);
      if (!found && producerOf(manifest, job.name) === undefined) {
        issues.push({
          keyPath: `job[${index}].source`,
          path: where.source.path,
          message: `source ${where.source.path} does not exist`,
          hint: 'check the path (relative paths start at the manifest folder), or create it',
        });
      }
    }
    if (where?.destination.kind === 'local') {
      const found = await statOrUndefined(where.destination.path);
      if (found && !found.isDirectory()) {
        issues.push({
          keyPath: `job[${index}].destination`,
          path: where.destination.path,
          message: `destination ${where.destination.path} exists and is not a folder`,
          hint: 'point the destination at a folder (it is created if missing), or move that file away',
        });
      }
    }
  }
  return issues;
}

/**
 * The job that `jobName` waits for (directly or not) whose local destination holds its local
 * source: that job creates the folder, so a source missing before the run is not a mistake (the
 * README's backup-then-archive manifest).
 */
export function producerOf(
  manifest: Pick<Manifest, 'jobs' | 'locations'>,
  jobName: string,
): string | undefined {
  const source = manifest.locations[jobName]?.source;
  if (source?.kind !== 'local') return undefined;
  for (const name of transitiveDependencies(manifest.jobs).get(jobName) ?? []) {
    const written = manifest.locations[name]?.destination;
    if (written?.kind === 'local' && isPathInside(source.path, written.path)) return name;
  }
  return undefined;
}

/**
 * `producerOf` for a source that is missing right now, or undefined (it exists, or no job it waits
 * for makes it): such a job cannot be sized or previewed before that job has run.
 */
export async function producerOfMissingSource(
  manifest: Pick<Manifest, 'jobs' | 'locations'>,
  jobName: string,
): Promise<string | undefined> {
  const producer = producerOf(manifest, jobName);
  const source = manifest.locations[jobName]?.source;
  if (producer === undefined || source === undefined) return undefined;
  const exists = await lstat(source.path).then(
    () => true,
    () => false,
  );
  return exists ? undefined : producer;
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OrbitError('IO', `cannot inspect ${path}`, { path, cause: error });
  }
}
