import type { Tx } from '../../audit/append-audit.ts';
import { Invalid } from '../../errors.ts';
import { findDependencyCycle } from './dependency-cycle.ts';

interface References {
  readonly sourceStarId: string | null;
  readonly destinationStarId: string | null;
  readonly dependsOn: readonly string[];
}

/** Stars and dependencies must belong to the same team; a dependency may not close a cycle. */
export async function checkJobReferences(
  tx: Tx,
  teamId: string,
  jobId: string | null,
  refs: References,
): Promise<void> {
  for (const field of ['sourceStarId', 'destinationStarId'] as const) {
    const starId = refs[field];
    if (starId === null) continue;
    const star = await tx.star.findFirst({ where: { id: starId, teamId }, select: { id: true } });
    if (!star)
      throw new Invalid(`${field}: no such Star in this team`, [
        { path: field, message: 'no such Star in this team' },
      ]);
  }
  if (refs.dependsOn.length === 0) return;
  const found = await tx.job.findMany({
    where: { teamId, id: { in: [...refs.dependsOn] } },
    select: { id: true },
  });
  const known = new Set(found.map((job) => job.id));
  const missing = refs.dependsOn.findIndex((id) => !known.has(id));
  if (missing >= 0) {
    throw new Invalid(`dependsOn.${missing}: no such job in this team`, [
      { path: `dependsOn.${missing}`, message: 'no such job in this team' },
    ]);
  }
  if (jobId === null) return;
  if (refs.dependsOn.includes(jobId)) {
    throw new Invalid('dependsOn: a job cannot depend on itself', [
      { path: 'dependsOn', message: 'a job cannot depend on itself' },
    ]);
  }
  const rows = await tx.jobDependency.findMany({
    where: { job: { teamId } },
    select: { jobId: true, dependsOnId: true },
  });
  const edges = new Map<string, string[]>();
  for (const row of rows) edges.set(row.jobId, [...(edges.get(row.jobId) ?? []), row.dependsOnId]);
  const cycle = findDependencyCycle(edges, jobId, refs.dependsOn);
  if (cycle) {
    const names = await tx.job.findMany({
      where: { teamId, id: { in: cycle } },
      select: { id: true, name: true },
    });
    const nameOf = new Map(names.map((job) => [job.id, job.name]));
    const path = cycle.map((id) => nameOf.get(id) ?? id).join(' → ');
    throw new Invalid(`dependsOn: this would create a cycle (${path})`, [
      { path: 'dependsOn', message: `cycle: ${path}` },
    ]);
  }
}
