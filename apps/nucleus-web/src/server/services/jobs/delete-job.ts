import { appendAudit } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import type { JobIdInput } from './get-job.ts';
import { jobSelect, toJobDto } from './job-dto.ts';

export async function deleteJob({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: JobIdInput;
}): Promise<{ ok: true }> {
  authorize(ctx, 'job.delete');
  await ctx.db.$transaction(async (tx) => {
    const job = await tx.job.findFirst({
      where: { id: input.jobId, teamId: ctx.team.id },
      select: jobSelect,
    });
    if (!job) throw new NotFound('Job');
    const active = await tx.run.count({
      where: { jobId: job.id, state: { in: ['queued', 'planning', 'running'] } },
    });
    if (active > 0)
      throw new Conflict(`Job "${job.name}" has ${active} unfinished run(s): cancel them first`);
    const dependents = await tx.jobDependency.findMany({
      where: { dependsOnId: job.id },
      select: { job: { select: { name: true } } },
    });
    if (dependents.length > 0) {
      const names = dependents.map((edge) => `"${edge.job.name}"`).join(', ');
      throw new Conflict(`Job "${job.name}" is a dependency of ${names}: remove that dependency first`);
    }
    await tx.job.delete({ where: { id: job.id } });
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'job.delete',
      objectType: 'job',
      objectId: job.id,
      before: toJobDto(job),
    });
  });
  ctx.events.publish(ctx.team.id, { type: 'job.changed', id: input.jobId });
  return { ok: true };
}
