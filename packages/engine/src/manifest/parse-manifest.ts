import { parse as parseToml, TomlError } from 'smol-toml';
import { type ChunkingOptions, DEFAULT_CHUNKING, validateChunking } from '../chunking/chunking-options.ts';
import { DEFAULT_COMPRESSION } from '../compression/compression-setting.ts';
import { isOrbitError, OrbitError, type OrbitErrorCode } from '../errors.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import { type DependencyNode, dependencyIssues } from './dependency-checks.ts';
import { type Env, interpolateEnv } from './env-interpolation.ts';
import { type ManifestIssue, placeIssue } from './manifest-issue.ts';
import {
  type ChunkingInput,
  type LocationInput,
  type ManifestInput,
  manifestInputSchema,
} from './manifest-schema.ts';
import type { JobLocations, Location, Manifest, ManifestDefaults } from './manifest-types.ts';
import { pathOverlapIssues } from './path-overlap-checks.ts';
import { dirnamePath, isAbsolutePath, joinPath, normalizePath } from './posix-path.ts';
import { schemaIssues } from './schema-issues.ts';
import { buildSourceMap, type SourceMap } from './source-locator.ts';

export interface ParseManifestOptions {
  /** Shown in every error and kept on the manifest; also gives `baseDir` when that is absent. */
  readonly file: string;
  /** Absolute folder that relative paths resolve against; defaults to the folder of `file`. */
  readonly baseDir?: string;
  /** Values for `${VAR}` and `~`; defaults to `process.env`. */
  readonly env?: Env;
}

export const DEFAULT_PACK_SIZE = 64 * 1024 * 1024;
export const DEFAULT_AUDIT_LOG = 'orbit-audit.log';

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
  if (!parsed.success || issues.length > 0) return fail(issues);

  const resolved = resolveManifest(parsed.data, { file, baseDir, env, sourceMap });
  if (resolved.issues.length > 0) return fail(resolved.issues);
  return resolved.manifest;
}

type CodedIssue = ManifestIssue & { readonly code?: OrbitErrorCode };

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

interface ResolveContext {
  readonly file: string;
  readonly baseDir: string;
  readonly env: Env;
  readonly sourceMap: SourceMap;
}

function resolveManifest(
  input: ManifestInput,
  context: ResolveContext,
): { manifest: Manifest; issues: CodedIssue[] } {
  const issues: CodedIssue[] = [];
  const localPath = (text: string, keyPath: string): string => {
    if (text === '~' || text.startsWith('~/')) {
      const home = context.env.HOME;
      if (home === undefined || !isAbsolutePath(home)) {
        issues.push({
          keyPath,
          code: 'MANIFEST_ENV',
          message: `"${text}" starts with ~ but HOME is not set to an absolute path`,
          hint: 'set HOME, or write the path out in full',
        });
        return normalizePath(text);
      }
      return joinPath(home, text.slice(2));
    }
    if (text.startsWith('~')) {
      issues.push({
        keyPath,
        message: `"${text}": only ~ and ~/ are expanded, not ~user`,
        hint: 'write the path out in full',
      });
    }
    return joinPath(context.baseDir, text);
  };
  const location = (value: LocationInput, keyPath: string): Location => {
    if (typeof value === 'string') return { kind: 'local', path: localPath(value, keyPath) };
    if (!isAbsolutePath(value.path)) {
      issues.push({
        keyPath: `${keyPath}.path`,
        message: `path "${value.path}" on Star "${value.star}" must be absolute`,
        hint: 'relative paths only make sense on this machine; write it from / on the Star, e.g. "/srv/data"',
      });
    }
    return { kind: 'star', star: value.star, path: normalizePath(value.path) };
  };
  const chunking = (
    value: ChunkingInput | undefined,
    base: ChunkingOptions,
    keyPath: string,
  ): ChunkingOptions => {
    if (value === undefined) return base;
    const merged = {
      minSize: value.min ?? base.minSize,
      avgSize: value.avg ?? base.avgSize,
      maxSize: value.max ?? base.maxSize,
    };
    try {
      return validateChunking(merged);
    } catch (error) {
      if (!isOrbitError(error)) throw error;
      issues.push({ keyPath, message: error.message, ...(error.hint ? { hint: error.hint } : {}) });
      return base;
    }
  };

  const raw = input.defaults;
  const defaults: ManifestDefaults = {
    checksum: raw.checksum,
    compression: raw.compression ?? DEFAULT_COMPRESSION,
    resume: raw.resume,
    concurrency: raw.concurrency,
    auditLog:
      raw.audit_log === false ? null : localPath(raw.audit_log ?? DEFAULT_AUDIT_LOG, 'defaults.audit_log'),
    auditKeyEnv: raw.audit_key_env,
    planVisualisation: raw.plan_visualisation,
    chunking: chunking(raw.chunking, DEFAULT_CHUNKING, 'defaults.chunking'),
    packSize: raw.pack_size ?? DEFAULT_PACK_SIZE,
  };

  const locations: Record<string, JobLocations> = {};
  const schedules: Record<string, string> = {};
  const jobs = input.job.map((job, index): ResolvedJob => {
    const at = `job[${index}]`;
    const source = location(job.source, `${at}.source`);
    const destination = location(job.destination, `${at}.destination`);
    locations[job.name] = { source, destination };
    if (job.schedule !== undefined) schedules[job.name] = job.schedule.trim();
    if (job.delete !== undefined && job.mode !== 'mirror') {
      issues.push({
        keyPath: `${at}.delete`,
        message: `"delete" only applies to mirror jobs, and this job's mode is "${job.mode}"`,
        hint: 'remove "delete", or set mode = "mirror"',
      });
    }
    return {
      name: job.name,
      source: source.path,
      destination: destination.path,
      include: job.include,
      exclude: job.exclude,
      mode: job.mode,
      delete: job.delete ?? false,
      compression: job.compression ?? defaults.compression,
      checksum: job.checksum ?? defaults.checksum,
      resume: job.resume ?? defaults.resume,
      chunking: chunking(job.chunking, defaults.chunking, `${at}.chunking`),
      dependsOn: job.depends_on,
      packSize: job.pack_size ?? defaults.packSize,
    };
  });
  issues.push(
    ...pathOverlapIssues(jobs, locations).map((issue) => ({ ...issue, code: 'PATH_OVERLAP' as const })),
  );
  const manifest: Manifest = {
    file: context.file,
    baseDir: context.baseDir,
    defaults,
    jobs,
    locations,
    schedules,
    sourceMap: context.sourceMap,
  };
  return { manifest, issues };
}
