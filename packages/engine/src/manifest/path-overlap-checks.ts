import picomatch from 'picomatch';
import type { ResolvedJob } from '../runner/job-executor.ts';
import type { ManifestIssue } from './manifest-issue.ts';
import { type JobLocations, machineOf } from './manifest-types.ts';
import { isPathInside, relativeInside } from './posix-path.ts';

/**
 * Finds jobs that would copy their own output: a destination inside the job's own source, or
 * inside another job's source that does not wait for it (it would read files while they are being
 * written, and again on every run). An exclude glob of that source that covers the folder makes it safe.
 * Also a source inside another job's destination with no order between the two: it would be read
 * while that job writes into it.
 */
export function pathOverlapIssues(
  entries: readonly { readonly index: number; readonly job: ResolvedJob }[],
  locations: Readonly<Record<string, JobLocations>>,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const jobs = entries.map((entry) => entry.job);
  const dependents = transitiveDependencies(jobs);
  for (const { index: writerIndex, job: writer } of entries) {
    const written = locations[writer.name]?.destination;
    if (!written) continue;
    const read = locations[writer.name]?.source;
    if (
      writer.delete &&
      read &&
      machineOf(read) === machineOf(written) &&
      isPathInside(read.path, written.path)
    ) {
      issues.push({
        keyPath: `job[${writerIndex}].delete`,
        path: read.path,
        message: `mirror with delete would remove its own source ${read.path}, which lies inside the destination ${written.path}`,
        hint: 'choose a destination that does not contain the source, or drop delete = true',
      });
    }
    for (const reader of jobs) {
      const read = locations[reader.name]?.source;
      if (!read || machineOf(read) !== machineOf(written) || !isPathInside(written.path, read.path)) continue;
      const relative = relativeInside(written.path, read.path);
      if (relative !== '' && isExcluded(relative, reader.exclude)) continue;
      const keyPath = `job[${writerIndex}].destination`;
      const coverGlob = relative === '' ? undefined : `${relative}/**`;
      if (reader === writer) {
        issues.push({
          keyPath,
          path: written.path,
          message: `destination ${written.path} is inside the job's own source ${read.path}: it would copy its own output`,
          hint: coverGlob
            ? `move the destination outside the source, or add exclude = ["${coverGlob}"]`
            : 'use a destination outside the source',
        });
      } else if (!dependents.get(reader.name)?.has(writer.name)) {
        issues.push({
          keyPath,
          path: written.path,
          message: `destination ${written.path} is inside the source of job "${reader.name}" (${read.path}), which would copy this job's output`,
          hint: `add depends_on = ["${writer.name}"] to job "${reader.name}" if it should read the finished output, ${
            coverGlob ? `add exclude = ["${coverGlob}"] to it, ` : ''
          }or move the destination`,
        });
      }
    }
    for (const { index: readerIndex, job: reader } of entries) {
      const read = locations[reader.name]?.source;
      if (
        reader === writer ||
        !read ||
        read.path === written.path ||
        machineOf(read) !== machineOf(written) ||
        !isPathInside(read.path, written.path) ||
        dependents.get(reader.name)?.has(writer.name) ||
        dependents.get(writer.name)?.has(reader.name)
      ) {
        continue;
      }
      issues.push({
        keyPath: `job[${readerIndex}].source`,
        path: read.path,
        message: `source ${read.path} is inside the destination of job "${writer.name}" (${written.path}), which writes into it while this job reads it`,
        hint: `add depends_on = ["${writer.name}"] to job "${reader.name}" if it should read that job's finished output, or move the source`,
      });
    }
  }
  return issues;
}

/** True when the glob list excludes `relative` and everything below it. */
function isExcluded(relative: string, globs: readonly string[]): boolean {
  return globs.some((glob) => {
    const matches = picomatch(glob, { dot: true });
    return matches(relative) || (matches(`${relative}/f`) && matches(`${relative}/d/f`));
  });
}

/** For each job, every job it waits for directly or indirectly. */
export function transitiveDependencies(jobs: readonly ResolvedJob[]): Map<string, Set<string>> {
  const direct = new Map(jobs.map((job) => [job.name, job.dependsOn]));
  const result = new Map<string, Set<string>>();
  for (const job of jobs) {
    const reached = new Set<string>();
    const pending = [...job.dependsOn];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (reached.has(next)) continue;
      reached.add(next);
      pending.push(...(direct.get(next) ?? []));
    }
    result.set(job.name, reached);
  }
  return result;
}
