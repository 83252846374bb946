import { nextCronTime } from '@orbit/engine/manifest/cron-schedule';
import type { Tx } from '../audit/append-audit.ts';
import type { Db } from '../db/create-db.ts';
import { Conflict } from '../errors.ts';
import type { EventBus } from '../events/event-bus.ts';
import { lockJobRuns, queueRunInTx } from '../services/jobs/run-job.ts';
import type { Actor } from '../services/service-context.ts';

export interface StartScheduleRunsOptions {
  readonly prisma: Db;
  readonly auditKey: string;
  readonly events?: EventBus;
  /** Called after a run was queued, so the dispatcher looks at it now. */
  readonly onQueued?: () => void;
  /** How often schedules are looked at. Defaults to 30 s; a fire is at most this late. */
  readonly intervalMs?: number;
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
}

export interface ScheduleRuns {
  /** One pass over every scheduled job now; resolves when it is done. */
  check(): Promise<void>;
  stop(): Promise<void>;
}

/** The audit actor of runs the scheduler queues: the log says no person started them. */
export const SCHEDULER_ACTOR: Actor = { type: 'system', id: null, label: 'scheduler' };

interface ScheduledJob {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly schedule: string;
  readonly updatedAt: Date;
}

/**
 * Queues a run for each job whose cron schedule came due. The last fire is kept on the scheduler's
 * `job.run` audit row (`after.firedAt`), so it survives restarts without a column. After downtime a
 * job gets one catch-up run, not one per missed fire, and never a run for times before its last edit.
 */
export function startScheduleRuns(options: StartScheduleRunsOptions): ScheduleRuns {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((message) => console.error(`[orbit schedule] ${message}`));
  const intervalMs = options.intervalMs ?? 30_000;
  // Skips and broken schedules are logged once per due time, not on every pass.
  const logged = new Set<string>();
  let stopped = false;

  function logOnce(key: string, message: string): void {
    if (logged.has(key)) return;
    logged.add(key);
    log(message);
  }

  async function check(): Promise<void> {
    const jobs = await options.prisma.job.findMany({
      where: { schedule: { not: null } },
      select: { id: true, teamId: true, name: true, schedule: true, updatedAt: true },
      orderBy: { createdAt: 'asc' },
    });
    for (const job of jobs) {
      if (stopped) return;
      if (job.schedule === null) continue;
      await fireIfDue({ ...job, schedule: job.schedule }).catch((error: unknown) =>
        log(`job "${job.name}" (${job.id}): ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  async function fireIfDue(job: ScheduledJob): Promise<void> {
    const at = now();
    const dueAt = await nextFire(options.prisma, job);
    if (dueAt === undefined || dueAt > at) return;
    const key = `${job.id}@${dueAt.toISOString()}`;
    try {
      const run = await options.prisma.$transaction(async (tx) => {
        await lockJobRuns(tx, job.id);
        // Another Nucleus process may have fired it between our read and the lock.
        const again = await nextFire(tx, job);
        if (again === undefined || again.getTime() !== dueAt.getTime()) return undefined;
        return queueRunInTx(tx, options.auditKey, {
          teamId: job.teamId,
          jobId: job.id,
          actor: SCHEDULER_ACTOR,
          meta: { ip: null, userAgent: null },
          createdById: null,
          auditDetail: { schedule: job.schedule, dueAt: dueAt.toISOString(), firedAt: at.toISOString() },
        });
      });
      if (!run) return;
      log(
        `job "${job.name}" (${job.id}): queued run ${run.id} for ${job.schedule} due ${dueAt.toISOString()}`,
      );
      options.events?.publish(job.teamId, { type: 'run.changed', id: run.id });
      options.onQueued?.();
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      logOnce(
        key,
        `job "${job.name}" (${job.id}): skipped the ${dueAt.toISOString()} fire: ${error.message}`,
      );
    }
  }

  /** The fire after the later of the job's last edit and the scheduler's last fire; undefined if none. */
  async function nextFire(db: Db | Tx, job: ScheduledJob): Promise<Date | undefined> {
    const last = await db.auditLog.findFirst({
      where: {
        teamId: job.teamId,
        action: 'job.run',
        actorType: SCHEDULER_ACTOR.type,
        actorLabel: SCHEDULER_ACTOR.label,
        after: { path: ['jobId'], equals: job.id },
      },
      orderBy: { seq: 'desc' },
      select: { after: true },
    });
    const firedAt = firedAtOf(last?.after);
    const since = firedAt && firedAt > job.updatedAt ? firedAt : job.updatedAt;
    try {
      return nextCronTime(job.schedule, since, 'UTC');
    } catch (error) {
      logOnce(
        `${job.id}:${job.schedule}`,
        `job "${job.name}" (${job.id}) never fires: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  function pass(): void {
    running = check()
      .catch((error: unknown) =>
        log(`schedule pass failed: ${error instanceof Error ? error.message : error}`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, intervalMs);
      });
  }
  pass();

  return {
    async check() {
      await running;
      await check();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function firedAtOf(after: unknown): Date | undefined {
  const text = (after as { firedAt?: unknown } | null)?.firedAt;
  if (typeof text !== 'string') return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
