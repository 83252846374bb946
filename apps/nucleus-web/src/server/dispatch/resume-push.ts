import { emptyPushTotals, type PushTotals } from '@orbit/engine/transfer/push-totals';
import type { Progress__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import type { AdoptedCommand, CommandOutcome, GridHub } from '../grid/grid-hub.ts';
import { type ActivePush, finishRun, type RunAttemptContext } from './dispatch-run.ts';
import { abandonPush, type OpenPushRecord, type PushCheckpoint } from './push-records.ts';
import { addBatch, createProgressWriter, recordBatch } from './run-progress.ts';
import type { RunRef } from './run-transitions.ts';

/** A push a previous Nucleus process sent, re-attached to: its outcome arrives when the Star reports. */
export interface AdoptedPush {
  readonly command: OpenPushRecord['command'];
  readonly checkpoint: PushCheckpoint;
  readonly totals: PushTotals | undefined;
  readonly outcome: Promise<CommandOutcome>;
  /** Set by the worker that waits for the outcome, so the Star's progress reaches the run. */
  onProgress: ((progress: Progress__Output) => void) | undefined;
}

/**
 * Re-attaches to the open pushes in the database: each whose run still runs waits in the hub for
 * the Star's report (and answers its ticket requests); the others are closed and cancelled.
 */
export async function adoptOpenPushes(
  context: RunAttemptContext,
  records: readonly OpenPushRecord[],
): Promise<Map<string, AdoptedPush>> {
  const { deps, pushes } = context;
  const adopted = new Map<string, AdoptedPush>();
  for (const { command, run, checkpoint, totals } of records) {
    const job = run?.job;
    if (run?.state !== 'running' || !checkpoint || !job || adopted.has(run.id)) {
      await abandonPush(deps, command, `not re-attached: its run is ${run?.state ?? 'deleted'}`);
      deps.hub.cancelCommand(command.starId, command.id);
      continue;
    }
    const push: ActivePush = {
      run: { id: run.id, teamId: run.teamId },
      sourceStarId: command.starId,
      destinationStarId: job.destinationStarId ?? '',
      jobId: job.id,
      destinationPath: job.destinationPath,
    };
    pushes.set(command.id, push);
    const entry: AdoptedPush = {
      command,
      checkpoint,
      totals,
      outcome: adopt(deps.hub, { ...command, fence: deps.fence }, (progress) => entry.onProgress?.(progress)),
      onProgress: undefined,
    };
    const release = () => {
      pushes.delete(command.id);
    };
    entry.outcome.then(release, release);
    adopted.set(run.id, entry);
    deps.log(`run ${run.id}: re-attached to push ${command.id} on Star ${command.starId}`);
  }
  return adopted;
}

function adopt(hub: GridHub, command: AdoptedCommand, onProgress: (progress: Progress__Output) => void) {
  const outcome = hub.adopt(command, { onProgress });
  // The worker may only look at it once the Stars are back; a rejection before then is not unhandled.
  outcome.catch(() => undefined);
  return outcome;
}

/**
 * Waits for an adopted push, records its batch and, when it was the run's last, finishes the run.
 * Returns false when the run still needs an attempt: the Star lost the command (it restarted) or
 * its deadline passed, or batches after this one were never sent. Other failures are thrown, as
 * from `attemptRun`.
 */
export async function resumePush(
  context: RunAttemptContext,
  run: RunRef,
  push: AdoptedPush,
): Promise<boolean> {
  const { deps } = context;
  const { checkpoint } = push;
  const progress = createProgressWriter(deps, run);
  push.onProgress = (update) => progress.update(update, checkpoint.base);
  let outcome: CommandOutcome;
  try {
    outcome = await push.outcome;
  } catch (error) {
    const lost =
      error instanceof GridCommandError &&
      (error.code === 'ERROR_CODE_UNAVAILABLE' || error.code === 'ERROR_CODE_DEADLINE_EXCEEDED');
    if (!lost || context.stopping.aborted) throw error;
    deps.log(
      `run ${run.id}: push ${push.command.id} cannot be re-attached (${error.message}); dispatching again`,
    );
    return false;
  } finally {
    push.onProgress = undefined;
    await progress.stop();
  }
  const result = outcome.result.pushChunks;
  if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'pushChunks returned no result');
  const totals = push.totals ?? emptyPushTotals();
  addBatch(totals, result);
  await recordBatch(deps, run, { commandId: push.command.id, result }, totals, checkpoint.base);
  outcome.acknowledge();
  // Later batches were never sent: the next attempt pushes the run again, and the receiver finds
  // this batch's files unchanged.
  if (checkpoint.firstFile + checkpoint.files < checkpoint.filesTotal) return false;
  await finishRun(deps, run, totals, checkpoint.filesTotal);
  return true;
}
