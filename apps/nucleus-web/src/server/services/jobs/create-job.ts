import type { z } from 'zod';
import { appendAudit } from '../../audit/append-audit.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { checkJobReferences } from './check-job-references.ts';
import { type JobDto, jobSelect, toJobDto } from './job-dto.ts';
import { jobFields } from './job-fields.ts';

export const createJobInput = jobFields;
export type CreateJobInput = z.input<typeof createJobInput>;

export async function createJob({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: CreateJobInput;
}): Promise<JobDto> {
  authorize(ctx, 'job.create');
  const { dependsOn, ...fields } = createJobInput.parse(input);
  const job = await ctx.db.$transaction(async (tx) => {
    await checkJobReferences(tx, ctx.team.id, null, { ...fields, dependsOn });
    const created = await tx.job.create({
      data: {
        ...fields,
        teamId: ctx.team.id,
        createdById: ctx.userId,
        dependsOn: { create: dependsOn.map((dependsOnId) => ({ dependsOnId })) },
      },
      select: jobSelect,
    });
    const dto = toJobDto(created);
    await appendAudit(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      actor: ctx.actor,
      meta: ctx.meta,
      action: 'job.create',
      objectType: 'job',
      objectId: created.id,
      after: dto,
    });
    return dto;
  });
  ctx.events.publish(ctx.team.id, { type: 'job.changed', id: job.id });
  return job;
}
