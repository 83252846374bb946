import { formatCompression } from '@orbit/engine/compression/compression-setting';
import type { Location } from '@orbit/engine/manifest/manifest-types';
import { parseManifest } from '@orbit/engine/manifest/parse-manifest';
import { positionOf } from '@orbit/engine/manifest/source-locator';
import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, Invalid } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { type JobDto, jobSelect, toJobDto } from './job-dto.ts';
import {
  type ManifestInput,
  manifestProblems,
  NUCLEUS_MANIFEST_FILE,
  problemField,
} from './manifest-problems.ts';

/**
 * Creates every job of a manifest in one transaction, or none. A `{ star, path }` location must
 * name a Star of the team; a plain path is stored without a Star (its runs wait for one).
 */
export async function importManifest({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ManifestInput;
}): Promise<JobDto[]> {
  authorize(ctx, 'job.import');
  let manifest: ReturnType<typeof parseManifest>;
  try {
    manifest = parseManifest(input.toml, { file: NUCLEUS_MANIFEST_FILE, env: {} });
  } catch (error) {
    const fields = manifestProblems(error).map(problemField);
    throw new Invalid(
      `The manifest has ${fields.length} problem(s): ${fields[0]?.path} ${fields[0]?.message}`,
      fields,
    );
  }
  const stars = await ctx.db.star.findMany({
    where: { teamId: ctx.team.id },
    select: { id: true, name: true },
  });
  const starIds = new Map(stars.map((star) => [star.name, star.id]));
  const unknownStars = manifest.jobs.flatMap((job, index) =>
    (['source', 'destination'] as const).flatMap((side) => {
      const location: Location | undefined = manifest.locations[job.name]?.[side];
      if (location?.kind !== 'star' || starIds.has(location.star)) return [];
      const keyPath = `job[${index}].${side}.star`;
      const { line, column } = positionOf(manifest.sourceMap, keyPath);
      return [
        { path: `${line}:${column} ${keyPath}`, message: `no Star named "${location.star}" in this team` },
      ];
    }),
  );
  if (unknownStars.length > 0) throw new Invalid(`Unknown Star: ${unknownStars[0]?.message}`, unknownStars);

  const starOf = (location: Location | undefined) =>
    location?.kind === 'star' ? (starIds.get(location.star) ?? null) : null;
  const created = await ctx.db.$transaction(async (tx) => {
    const clashes = await tx.job.findMany({
      where: { teamId: ctx.team.id, name: { in: manifest.jobs.map((job) => job.name) } },
      select: { name: true },
    });
    if (clashes.length > 0) {
      const names = clashes.map((job) => `"${job.name}"`).join(', ');
      throw new Conflict(
        `The team already has job(s) ${names}: rename them in the manifest or delete the old ones`,
      );
    }
    const ids = new Map<string, string>();
    const jobs: JobDto[] = [];
    // Manifest jobs are validated acyclic; creating in plan order lets every dependency exist first.
    for (const job of manifest.jobs) {
      const locations = manifest.locations[job.name];
      const row = await tx.job.create({
        data: {
          teamId: ctx.team.id,
          name: job.name,
          sourceStarId: starOf(locations?.source),
          sourcePath: locations?.source.path ?? job.source,
          destinationStarId: starOf(locations?.destination),
          destinationPath: locations?.destination.path ?? job.destination,
          mode: job.mode,
          include: [...job.include],
          exclude: [...job.exclude],
          compression: formatCompression(job.compression),
          checksum: job.checksum,
          concurrency: manifest.defaults.concurrency,
          options: {
            delete: job.delete,
            resume: job.resume,
            packSize: job.packSize,
            chunking: { min: job.chunking.minSize, avg: job.chunking.avgSize, max: job.chunking.maxSize },
          },
          schedule: manifest.schedules[job.name] ?? null,
          createdById: ctx.userId,
        },
        select: { id: true },
      });
      ids.set(job.name, row.id);
    }
    for (const job of manifest.jobs) {
      const jobId = ids.get(job.name) ?? '';
      const edges = job.dependsOn.flatMap((name) => {
        const dependsOnId = ids.get(name);
        return dependsOnId ? [{ jobId, dependsOnId }] : [];
      });
      if (edges.length > 0) await tx.jobDependency.createMany({ data: edges });
      const dto = toJobDto(await tx.job.findUniqueOrThrow({ where: { id: jobId }, select: jobSelect }));
      jobs.push(dto);
      await appendAudit(tx, ctx.auditKey, {
        teamId: ctx.team.id,
        actor: ctx.actor,
        meta: ctx.meta,
        action: 'job.import',
        objectType: 'job',
        objectId: jobId,
        after: dto,
      });
    }
    return jobs;
  });
  for (const job of created) ctx.events.publish(ctx.team.id, { type: 'job.changed', id: job.id });
  return created;
}
