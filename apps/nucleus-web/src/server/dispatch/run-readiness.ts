import { posix } from 'node:path';
import type { DispatchDeps } from './dispatch-deps.ts';

export interface DispatchJob {
  readonly id: string;
  readonly name: string;
  readonly sourceStarId: string | null;
  readonly destinationStarId: string | null;
  readonly sourcePath: string;
  readonly destinationPath: string;
}

/**
 * Why a queued run cannot start yet, or undefined when it can. Both Stars must be connected and
 * scheduled, and every job it depends on must have succeeded on its latest run: the dispatcher
 * waits for dependencies rather than running them itself, so a dependency runs only when asked.
 */
export async function waitingReason(deps: DispatchDeps, job: DispatchJob): Promise<string | undefined> {
  const stars = await starProblem(deps, job);
  if (stars) return stars;
  const dependencies = await deps.prisma.jobDependency.findMany({
    where: { jobId: job.id },
    select: {
      dependsOn: {
        select: {
          name: true,
          runs: { orderBy: { queuedAt: 'desc' }, take: 1, select: { state: true } },
        },
      },
    },
  });
  for (const { dependsOn } of dependencies) {
    const latest = dependsOn.runs[0]?.state;
    if (latest === 'succeeded') continue;
    return latest === undefined
      ? `waiting for job "${dependsOn.name}" to succeed: it has never run`
      : `waiting for job "${dependsOn.name}" to succeed: its latest run is ${latest}`;
  }
  return undefined;
}

/** Why the job's Stars cannot take work now (missing, offline, draining), or undefined. */
export async function starProblem(deps: DispatchDeps, job: DispatchJob): Promise<string | undefined> {
  if (job.sourceStarId === null) return 'waiting: the job names no source Star; edit the job and pick one';
  if (job.destinationStarId === null)
    return 'waiting: the job names no destination Star; edit the job and pick one';
  const connected = new Map(deps.hub.connectedStars().map((star) => [star.starId, star]));
  for (const [role, starId] of [
    ['source', job.sourceStarId],
    ['destination', job.destinationStarId],
  ] as const) {
    const star = connected.get(starId);
    if (star?.lifecycle === 'scheduled') continue;
    const name =
      star?.name ??
      (await deps.prisma.star.findUnique({ where: { id: starId }, select: { name: true } }))?.name ??
      starId;
    return star
      ? `waiting: the ${role} Star "${name}" is ${star.lifecycle} and takes no new work`
      : `waiting: the ${role} Star "${name}" is offline; start \`orbit-star serve\` on it`;
  }
  return undefined;
}

interface AllowedRoot {
  readonly path: string;
  readonly access: 'ro' | 'rw';
}

/**
 * Checks a job path against the roots the Star reported when it joined, before any command is
 * sent. The Star's own path jail still has the last word (symlinks, roots changed since).
 */
export function pathRefusal(path: string, roots: unknown, write: boolean): string | undefined {
  if (!path.startsWith('/') || path.split('/').includes('..'))
    return `"${path}" must be an absolute path without ".."`;
  const normal = posix.normalize(path).replace(/(.)\/$/, '$1');
  const allowed = parseRoots(roots).filter((root) => !write || root.access === 'rw');
  const inside = allowed.some(
    (root) => normal === root.path || normal.startsWith(root.path === '/' ? '/' : `${root.path}/`),
  );
  if (inside) return undefined;
  const listed = allowed.map((root) => root.path).join(', ') || 'none';
  return `"${path}" is outside the Star's ${write ? 'read-write ' : ''}allowed roots (${listed})`;
}

function parseRoots(value: unknown): AllowedRoot[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, access } = item as { path?: unknown; access?: unknown };
    return typeof path === 'string' && (access === 'ro' || access === 'rw') ? [{ path, access }] : [];
  });
}
