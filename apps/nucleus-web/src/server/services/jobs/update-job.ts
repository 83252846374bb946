import type { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { checkJobReferences } from './check-job-references.ts';
import { type JobDto, jobSelect, toJobDto } from './job-dto.ts';
import { jobFields } from './job-fields.ts';

/** Only the fields sent change; defaults of the create form do not apply here. */
export const updateJobInput = jobFields.partial().extend({ jobId: idSchema });
export type UpdateJobInput = z.input<typeof updateJobInput>;

export async function updateJob({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: UpdateJobInput;
}): Promise<JobDto> {
  authorize(ctx, 'job.update');
  const { jobId, ...changes } = updateJobInput.parse(input);
  const sent = Object.fromEntries(Object.entries(changes).filter(([key]) => key in input)) as Partial<
    typeof changes
  >;
  const { dependsOn, ...fields } = sent;
  const job = await ctx.db.$transaction(async (tx) => {
    const before = await tx.job.findFirst({ where: { id: jobId, teamId: ctx.team.id }, select: jobSelect });
    if (!before) throw new NotFound('Job');
    const current = toJobDto(before);
    await checkJobReferences(tx, ctx.team.id, jobId, {
      sourceStarId:
        fields.sourceStarId !== undefined ? fields.sourceStarId : (current.sourceStar?.id ?? null),
      destinationStarId:
        fields.destinationStarId !== undefined
          ? fields.destinationStarId
          : (current.destinationStar?.id ?? null),
      dependsOn: dependsOn ?? [],
    });
    if (dependsOn) await tx.jobDependency.deleteMany({ where: { jobId } });
    const updated = await tx.job.update({
      where: { id: jobId },
      data: {
        ...fields,
        ...(dependsOn ? { dependsOn: { create: dependsOn.map((dependsOnId) => ({ dependsOnId })) } } : {}),
      },
      select: jobSelect,
    });
    const after = toJobDto(updated);
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'job.update',
      objectType: 'job',
      objectId: jobId,
      before: current,
      after,
    });
    return after;
  });
  ctx.events.publish(ctx.team.id, { type: 'job.changed', id: job.id });
  return job;
}
