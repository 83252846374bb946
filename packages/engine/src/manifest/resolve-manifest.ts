import { type ChunkingOptions, DEFAULT_CHUNKING, validateChunking } from '../chunking/chunking-options.ts';
import { DEFAULT_COMPRESSION } from '../compression/compression-setting.ts';
import { isOrbitError, type OrbitErrorCode } from '../errors.ts';
import type { ResolvedJob } from '../runner/job-executor.ts';
import type { Env } from './env-interpolation.ts';
import type { ManifestIssue } from './manifest-issue.ts';
import type { ChunkingInput, DefaultsInput, JobInput, LocationInput } from './manifest-schema.ts';
import type { JobLocations, Location, Manifest, ManifestDefaults } from './manifest-types.ts';
import { pathOverlapIssues } from './path-overlap-checks.ts';
import { isAbsolutePath, joinPath, normalizePath } from './posix-path.ts';

export const DEFAULT_PACK_SIZE = 64 * 1024 * 1024;
export const DEFAULT_AUDIT_LOG = 'orbit-audit.log';

/** A manifest issue with the error code it should raise (MANIFEST_INVALID when absent). */
export type CodedIssue = ManifestIssue & { readonly code?: OrbitErrorCode };

/** The schema-valid parts of a manifest; `index` is the job's 0-based place in the file. */
export interface ManifestParts {
  readonly defaults: DefaultsInput;
  readonly jobs: readonly { readonly index: number; readonly job: JobInput }[];
}

interface ResolveContext {
  readonly baseDir: string;
  readonly env: Env;
}

type ResolvedParts = Pick<Manifest, 'defaults' | 'jobs' | 'locations' | 'schedules'>;

/** Fills in defaults, resolves locations and checks what needs resolved values (chunking, delete, loops). */
export function resolveManifest(
  input: ManifestParts,
  context: ResolveContext,
): { manifest: ResolvedParts; issues: CodedIssue[] } {
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
  const jobs = input.jobs.map(({ job, index }): ResolvedJob => {
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
    ...pathOverlapIssues(
      jobs.map((job, position) => ({ index: input.jobs[position]?.index ?? position, job })),
      locations,
    ).map((issue) => ({ ...issue, code: 'PATH_OVERLAP' as const })),
  );
  const manifest: ResolvedParts = { defaults, jobs, locations, schedules };
  return { manifest, issues };
}
