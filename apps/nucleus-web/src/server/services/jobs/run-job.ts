import { appendAudit, type Tx } from '../../audit/append-audit.ts';
import { Conflict, NotFound } from '../../errors.ts';
import { ACTIVE_RUN_STATES } from '../../runs/run-state-machine.ts';
import { type RunDto, runSelect, toRunDto } from '../runs/run-dto.ts';
import { type Actor, authorize, type RequestMeta, type TeamContext } from '../service-context.ts';
import type { JobIdInput } from './get-job.ts';

/** Queues a run. A Star picks it up over the grid; until then it stays queued, honestly. */
export async function runJob({ ctx, input }: { ctx: TeamContext; input: JobIdInput }): Promise<RunDto> {
  authorize(ctx, 'job.run');
  const run = await ctx.db.$transaction((tx) =>
    queueRunInTx(tx, ctx.auditKey, {
      teamId: ctx.team.id,
      jobId: input.jobId,
      actor: ctx.actor,
      meta: ctx.meta,
      createdById: ctx.userId,
    }),
  );
  ctx.events.publish(ctx.team.id, { type: 'run.changed', id: run.id });
  return toRunDto(run);
}

export interface QueueRunInput {
  readonly teamId: string;
  readonly jobId: string;
  readonly actor: Actor;
  readonly meta: RequestMeta;
  /** The user the run is shown as started by; null for the scheduler. */
  readonly createdById: string | null;
  /** Extra facts for the audit row's `after`, e.g. which schedule fire queued the run. */
  readonly auditDetail?: Record<string, string>;
}

/** Serialises run creation per job across transactions (and Nucleus processes). */
export async function lockJobRuns(tx: Tx, jobId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${`run:${jobId}`}))`;
}

/**
 * Creates a queued run and its `job.run` audit row inside the caller's transaction. Authorisation
 * is the caller's: runJob checks the user's role, the scheduler acts as the system.
 */
export async function queueRunInTx(tx: Tx, auditKey: string, input: QueueRunInput) {
  const job = await tx.job.findFirst({
    where: { id: input.jobId, teamId: input.teamId },
    select: { id: true, name: true, sourceStarId: true },
  });
  if (!job) throw new NotFound('Job');
  await lockJobRuns(tx, job.id);
  const active = await tx.run.findFirst({
    where: { jobId: job.id, state: { in: [...ACTIVE_RUN_STATES] } },
    select: { id: true, state: true },
  });
  if (active)
    throw new Conflict(
      `Job "${job.name}" already has a ${active.state} run (${active.id}): cancel it or wait`,
    );
  const created = await tx.run.create({
    data: { teamId: input.teamId, jobId: job.id, starId: job.sourceStarId, createdById: input.createdById },
    select: runSelect,
  });
  await appendAudit(tx, auditKey, {
    teamId: input.teamId,
    actor: input.actor,
    meta: input.meta,
    action: 'job.run',
    objectType: 'run',
    objectId: created.id,
    after: { jobId: job.id, jobName: job.name, state: created.state, ...input.auditDetail },
  });
  return created;
}
