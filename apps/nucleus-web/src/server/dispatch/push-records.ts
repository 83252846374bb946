import { emptyPushTotals, type PushTotals } from '@orbit/engine/transfer/push-totals';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import type { BatchBase } from './run-progress.ts';
import type { RunRef } from './run-transitions.ts';

/**
 * Where a push sits in its run, kept in `Run.checkpoints.push` beside the GridCommand row, so the
 * Nucleus that re-attaches to it after a restart can record its batch and tell if it was the last.
 */
export interface PushCheckpoint {
  readonly commandId: string;
  readonly sourceStarId: string;
  /** Index of the batch's first file in the run's scan order, the batch's size, and the run's total. */
  readonly firstFile: number;
  readonly files: number;
  readonly filesTotal: number;
  /** Files and bytes the run had done before this batch. */
  readonly base: BatchBase;
}

export interface OpenPush extends PushCheckpoint {
  readonly deadline: Date;
  /** The dispatcher (lease holder) sending it. */
  readonly issuedBy: string;
  /** The run's push counters before this batch. */
  readonly totals: PushTotals;
}

/**
 * Records a push before it is sent: its GridCommand row and the run's checkpoint in one
 * transaction, only while the run is still running. False when it is not (a user cancelled it).
 */
export async function openPush(deps: DispatchDeps, run: RunRef, push: OpenPush): Promise<boolean> {
  const { deadline, issuedBy, totals, ...checkpoint } = push;
  return fencedWrite(deps, 'push.open', runSubject(run), async (tx) => {
    const moved = await tx.run.updateMany({
      where: { id: run.id, state: 'running' },
      data: {
        checkpoints: { transfer: { ...totals }, push: { ...checkpoint, base: { ...checkpoint.base } } },
      },
    });
    if (moved.count !== 1) return false;
    await tx.gridCommand.create({
      data: {
        id: push.commandId,
        teamId: run.teamId,
        starId: push.sourceStarId,
        runId: run.id,
        kind: 'pushChunks',
        issuedBy,
        deadline,
      },
      select: { id: true },
    });
    return true;
  });
}

/** Open push records a previous dispatcher left, with the checkpoint of their run when it matches. */
export async function openPushes(deps: DispatchDeps) {
  const rows = await deps.prisma.gridCommand.findMany({
    where: { state: 'open', kind: 'pushChunks' },
    select: { id: true, teamId: true, starId: true, runId: true, kind: true, deadline: true },
  });
  const runIds = rows.flatMap((row) => (row.runId ? [row.runId] : []));
  const runs = await deps.prisma.run.findMany({
    where: { id: { in: runIds } },
    select: {
      id: true,
      teamId: true,
      state: true,
      checkpoints: true,
      job: { select: { id: true, sourceStarId: true, destinationStarId: true, destinationPath: true } },
    },
  });
  const byId = new Map(runs.map((run) => [run.id, run]));
  return rows.map((row) => {
    const run = row.runId ? byId.get(row.runId) : undefined;
    const checkpoint = pushCheckpoint(run?.checkpoints);
    return {
      command: { id: row.id, teamId: row.teamId, starId: row.starId, kind: row.kind, deadline: row.deadline },
      run,
      checkpoint: checkpoint?.commandId === row.id ? checkpoint : undefined,
      totals: transferTotals(run?.checkpoints),
    };
  });
}

export type OpenPushRecord = Awaited<ReturnType<typeof openPushes>>[number];

/** Closes a record nobody will re-attach to (its run ended, or it lost its checkpoint). */
export async function abandonPush(
  deps: DispatchDeps,
  command: { readonly id: string; readonly teamId: string },
  reason: string,
): Promise<void> {
  await fencedWrite(
    deps,
    'push.abandon',
    { teamId: command.teamId, objectType: 'grid_command', objectId: command.id },
    (tx) =>
      tx.gridCommand.updateMany({
        where: { id: command.id, state: 'open' },
        data: { state: 'abandoned', finishedAt: new Date(), error: reason },
      }),
  );
}

export function pushCheckpoint(checkpoints: unknown): PushCheckpoint | undefined {
  const push = (checkpoints as { push?: Partial<PushCheckpoint> } | null)?.push;
  if (
    typeof push?.commandId !== 'string' ||
    typeof push.sourceStarId !== 'string' ||
    typeof push.firstFile !== 'number' ||
    typeof push.files !== 'number' ||
    typeof push.filesTotal !== 'number' ||
    typeof push.base?.filesDone !== 'number' ||
    typeof push.base.bytesDone !== 'number'
  )
    return undefined;
  return push as PushCheckpoint;
}

function transferTotals(checkpoints: unknown): PushTotals | undefined {
  const transfer = (checkpoints as { transfer?: Partial<PushTotals> } | null)?.transfer;
  // Totals stored before a counter existed lack it: it starts at zero rather than summing to NaN.
  return typeof transfer === 'object' && transfer !== null
    ? { ...emptyPushTotals(), ...transfer }
    : undefined;
}
