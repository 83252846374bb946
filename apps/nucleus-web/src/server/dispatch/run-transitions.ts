import { appendAudit, type Tx } from '../audit/append-audit.ts';
import type { Prisma } from '../db/create-db.ts';
import { nextRunState, type RunEvent, type RunState, STATE_TIMESTAMP } from '../runs/run-state-machine.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { DISPATCHER_ACTOR, NO_REQUEST } from './dispatcher-actor.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';

export interface RunRef {
  readonly id: string;
  readonly teamId: string;
}

/**
 * Moves a run along the state machine, conditional on the state it is in now and on the lease
 * epoch, with its audit row in the same transaction. Returns false when someone else moved it
 * first (a user cancelled it); throws FencedOutError when another process took the lease.
 */
export async function transitionRun(
  deps: DispatchDeps,
  run: RunRef,
  from: RunState,
  event: RunEvent,
  data: Omit<Prisma.RunUpdateManyMutationInput, 'state'> = {},
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const to = nextRunState(from, event);
  if (to === null) return false;
  const moved = await fencedWrite(deps, `run.${event}`, runSubject(run), async (tx) => {
    const claimed = await tx.run.updateMany({
      where: { id: run.id, state: from },
      data: { ...data, state: to, [STATE_TIMESTAMP[to]]: new Date() },
    });
    if (claimed.count !== 1) return false;
    await appendAudit(tx, deps.auditKey, {
      teamId: run.teamId,
      actor: DISPATCHER_ACTOR,
      meta: NO_REQUEST,
      action: `run.${event}`,
      objectType: 'run',
      objectId: run.id,
      before: { state: from },
      after: { state: to, ...details },
    });
    return true;
  });
  if (moved) deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
  return moved;
}

/** Records something the dispatcher refused (e.g. a path outside a Star's roots) in the audit chain. */
export function auditRefusal(
  deps: DispatchDeps,
  run: RunRef,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  return auditRun(deps, run, action, details);
}

/**
 * Records something the dispatcher did to a run (e.g. a mirror's removals) in the audit chain;
 * `record` writes its figures on the run in the same transaction.
 */
export async function auditRun(
  deps: DispatchDeps,
  run: RunRef,
  action: string,
  details: Record<string, unknown>,
  record?: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  await fencedWrite(deps, action, runSubject(run), async (tx) => {
    await appendAudit(tx, deps.auditKey, {
      teamId: run.teamId,
      actor: DISPATCHER_ACTOR,
      meta: NO_REQUEST,
      action,
      objectType: 'run',
      objectId: run.id,
      after: details,
    });
    await record?.(tx);
  });
}
