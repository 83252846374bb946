import { parse as parseToml, TomlError } from 'smol-toml';
import { OrbitError } from '../errors.ts';
import { type DependencyNode, dependencyIssues } from './dependency-checks.ts';
import { type Env, interpolateEnv } from './env-interpolation.ts';
import { type ManifestIssue, placeIssue } from './manifest-issue.ts';
import { defaultsInputSchema, jobInputSchema, manifestInputSchema } from './manifest-schema.ts';
import type { Manifest } from './manifest-types.ts';
import { dirnamePath, isAbsolutePath, normalizePath } from './posix-path.ts';
import { type CodedIssue, type ManifestParts, resolveManifest } from './resolve-manifest.ts';
import { schemaIssues } from './schema-issues.ts';
import { buildSourceMap } from './source-locator.ts';

export interface ParseManifestOptions {
  /** Shown in every error and kept on the manifest; also gives `baseDir` when that is absent. */
  readonly file: string;
  /** Absolute folder that relative paths resolve against; defaults to the folder of `file`. */
  readonly baseDir?: string;
  /** Values for `${VAR}` and `~`; defaults to `process.env`. */
  readonly env?: Env;
}

export { DEFAULT_AUDIT_LOG, DEFAULT_PACK_SIZE } from './resolve-manifest.ts';

/**
 * Parses and validates manifest text without touching the filesystem. Every problem found is
 * reported at once in one OrbitError (its `issues` list each with file, line, column and key path).
 */
export function parseManifest(text: string, options: ParseManifestOptions): Manifest {
  const { file } = options;
  const baseDir = normalizePath(options.baseDir ?? dirnamePath(file));
  if (!isAbsolutePath(baseDir)) {
    throw new OrbitError('INVALID_ARGUMENT', `manifest folder "${baseDir}" is not an absolute path`, {
      file,
      hint: 'pass an absolute file path or an absolute baseDir to parseManifest',
    });
  }
  let document: unknown;
  try {
    document = parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? error.message;
    throw new OrbitError('MANIFEST_SYNTAX', `TOML syntax error: ${message}`, {
      file,
      line: error.line,
      column: error.column,
      hint: 'fix the TOML at this position (see https://toml.io for the syntax)',
      cause: error,
    });
  }
  const sourceMap = buildSourceMap(text);
  const fail = (issues: readonly CodedIssue[]): never => {
    const codes = new Set(issues.map((issue) => issue.code ?? 'MANIFEST_INVALID'));
    const [code = 'MANIFEST_INVALID'] = codes.size === 1 ? codes : [];
    throw OrbitError.fromIssues(
      code,
      issues
        .map((issue) => placeIssue(issue, file, sourceMap))
        .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
    );
  };

  // The brief's default; a browser bundle has no `process` and must pass env explicitly.
  const env = options.env ?? (typeof process === 'undefined' ? {} : process.env);
  const interpolated = interpolateEnv(document, env);
  const issues: CodedIssue[] = interpolated.issues.map((issue) => ({ ...issue, code: 'MANIFEST_ENV' }));
  const parsed = manifestInputSchema.safeParse(interpolated.value, { reportInput: true });
  if (!parsed.success) issues.push(...schemaIssues(parsed.error.issues));
  issues.push(...dependencyIssues(dependencyNodesOf(interpolated.value)));
  // Resolve every part that is valid on its own, so path and mode problems show beside schema ones.
  const resolved = resolveManifest(validParts(interpolated.value, interpolated.issues), { baseDir, env });
  issues.push(...resolved.issues);
  if (issues.length > 0) return fail(issues);
  return { file, baseDir, ...resolved.manifest, sourceMap };
}

/**
 * `[defaults]` and each job that pass their own schema and have no unresolved `${VAR}`; invalid
 * defaults fall back to the built-in ones so valid jobs can still be checked.
 */
function validParts(document: unknown, envIssues: readonly ManifestIssue[]): ManifestParts {
  const clean = (prefix: string) =>
    !envIssues.some((issue) => issue.keyPath === prefix || issue.keyPath.startsWith(`${prefix}.`));
  const root = isTable(document) ? document : {};
  const defaults = clean('defaults') ? defaultsInputSchema.safeParse(root.defaults ?? {}) : undefined;
  const rawJobs = Array.isArray(root.job) ? root.job : [];
  return {
    defaults: defaults?.success ? defaults.data : defaultsInputSchema.parse({}),
    jobs: rawJobs.flatMap((raw: unknown, index) => {
      const parsed = clean(`job[${index}]`) ? jobInputSchema.safeParse(raw) : undefined;
      return parsed?.success ? [{ index, job: parsed.data }] : [];
    }),
  };
}

/** Names and depends_on read straight from the document, so dependency mistakes show even beside schema errors. */
function dependencyNodesOf(document: unknown): DependencyNode[] {
  const jobs = isTable(document) && Array.isArray(document.job) ? document.job : [];
  return jobs.flatMap((job: unknown, index) => {
    if (!isTable(job) || typeof job.name !== 'string') return [];
    const dependsOn = Array.isArray(job.depends_on)
      ? job.depends_on.filter((item): item is string => typeof item === 'string')
      : [];
    return [{ index, name: job.name, dependsOn }];
  });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
