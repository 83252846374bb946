import type { z } from 'zod';
import { didYouMean } from './did-you-mean.ts';
import type { ManifestIssue } from './manifest-issue.ts';
import {
  chunkingInputSchema,
  defaultsInputSchema,
  jobInputSchema,
  manifestInputSchema,
  starLocationInputSchema,
} from './manifest-schema.ts';
import { formatKeyPath, type KeyPathSegment } from './source-locator.ts';

/** Turns zod's issues into manifest issues that name the key path and say how to fix it. */

const KEY_HINTS: Readonly<Record<string, string>> = {
  job: 'declare each job in its own [[job]] table with at least name, source and destination',
  name: 'job names use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit, e.g. "photos-nightly"',
  source: 'use a path string, or a table { star = "nas-01", path = "/srv/data" }',
  destination: 'use a path string, or a table { star = "nas-01", path = "/srv/data" }',
  star: 'use the name of a Star registered with the Nucleus, e.g. "nas-01"',
  path: 'use an absolute path on that Star, e.g. "/srv/data"',
  include: 'use a list of glob strings, e.g. ["**/*.jpg"]',
  exclude: 'use a list of glob strings, e.g. ["**/*.tmp"]',
  mode: 'use "copy" (default), "mirror" or "archive"',
  delete: 'use true or false (mirror jobs only)',
  checksum: 'use "blake3" (default), "sha256" or "none"',
  compression: 'use "none" (default), "zstd", "zstd:LEVEL" (1–19) or "auto"',
  depends_on: 'use a list of job names from this manifest, e.g. ["photos"]',
  resume: 'use true or false',
  concurrency: 'use a whole number of jobs to run at once, at least 1',
  audit_log: 'use a path relative to the manifest folder, or false to turn the audit log off',
  audit_key_env: 'use the name of an environment variable, e.g. "ORBIT_AUDIT_KEY"',
  plan_visualisation: 'use "text" (default), "json" or "dot"',
  chunking: 'use a table with min, avg and max in bytes, e.g. { min = 262144, avg = 1048576, max = 4194304 }',
  min: 'use a whole number of bytes, e.g. 262144 for 256 KiB',
  avg: 'use a whole number of bytes that is a power of two, e.g. 1048576 for 1 MiB',
  max: 'use a whole number of bytes, e.g. 4194304 for 4 MiB',
  pack_size: 'use a whole number of bytes, e.g. 67108864 for 64 MiB',
  schedule: 'use five cron fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * *"',
};

function keysOf(schema: { shape: object }): string[] {
  return Object.keys(schema.shape);
}

/** The keys allowed in the table at `path`, for did-you-mean suggestions. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return keysOf(manifestInputSchema);
  if (last === 'chunking') return keysOf(chunkingInputSchema);
  if (path.length === 1 && last === 'defaults') return keysOf(defaultsInputSchema);
  if (path[0] === 'job' && path.length === 2) return keysOf(jobInputSchema);
  if (last === 'source' || last === 'destination') return keysOf(starLocationInputSchema);
  return [];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}

function segmentsOf(path: readonly PropertyKey[]): KeyPathSegment[] {
  return path.map((part) => (typeof part === 'number' ? part : String(part)));
}

function hintFor(path: readonly PropertyKey[]): string | undefined {
  const key = [...path].reverse().find((part) => typeof part === 'string');
  return typeof key === 'string' ? KEY_HINTS[key] : undefined;
}

export function schemaIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): ManifestIssue[] {
  return issues.flatMap((issue) => toManifestIssues(issue, prefix));
}

function toManifestIssues(issue: z.core.$ZodIssue, prefix: PropertyKey[]): ManifestIssue[] {
  const path = [...prefix, ...issue.path];
  const keyPath = formatKeyPath(segmentsOf(path));
  const hint = hintFor(path);
  const withHint = (message: string, override?: string): ManifestIssue => {
    const chosen = override ?? hint;
    return chosen ? { keyPath, message, hint: chosen } : { keyPath, message };
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKeyIssue(path, key));
    case 'invalid_type': {
      const key = path[path.length - 1];
      if (issue.input === undefined) return [withHint(`missing required key "${String(key)}"`)];
      return [withHint(`expected ${issue.expected}, got ${describe(issue.input)}`)];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((value) => JSON.stringify(value));
      const guess =
        typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : undefined;
      const message = `${describe(issue.input)} is not allowed here (expected ${allowed.join(', ')})`;
      return [withHint(message, guess ? `did you mean "${guess}"?` : undefined)];
    }
    case 'invalid_union': {
      // A location is a string or a { star, path } table: report the branch that matched the value's kind.
      const branch = issue.errors.find((branchIssues) =>
        branchIssues.some((inner) => inner.code !== 'invalid_type' || inner.path.length > 0),
      );
      if (branch) return schemaIssues(branch, path);
      if (issue.input === undefined)
        return [withHint(`missing required key "${String(path[path.length - 1])}"`)];
      return [withHint(`${describe(issue.input)} is not allowed here`)];
    }
    case 'invalid_format':
      return [withHint(`${describe(issue.input)} has the wrong format`)];
    case 'too_small':
      if (issue.origin === 'array')
        return [withHint(`needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`)];
      if (issue.origin === 'string') return [withHint('must not be empty')];
      return [
        withHint(
          `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, got ${String(issue.input)}`,
        ),
      ];
    case 'custom': {
      const custom = issue.params?.hint;
      return [withHint(issue.message, typeof custom === 'string' ? custom : undefined)];
    }
    default:
      return [withHint(issue.message)];
  }
}

function unknownKeyIssue(path: readonly PropertyKey[], key: string): ManifestIssue {
  const keyPath = formatKeyPath(segmentsOf([...path, key]));
  const known = knownKeysAt(path);
  const guess = didYouMean(key, known);
  const inDefaultsOnly = path[0] === 'job' && path.length === 2 && keysOf(defaultsInputSchema).includes(key);
  const where = path.length === 0 ? 'at the top level' : `in ${formatKeyPath(segmentsOf(path))}`;
  let hint: string;
  if (guess) hint = `did you mean "${guess}"?`;
  else if (inDefaultsOnly) hint = `"${key}" can only be set in [defaults]`;
  else hint = `allowed keys: ${known.join(', ')}`;
  return { keyPath, message: `unknown key "${key}" ${where}`, hint };
}
