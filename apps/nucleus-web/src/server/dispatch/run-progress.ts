import { addPushTotals, type PushTotals } from '@orbit/engine/transfer/push-totals';
import type { Progress__Output, PushChunksResult__Output } from '@orbit/proto';
import type { Tx } from '../audit/append-audit.ts';
import { summarizeResult } from '../grid/command-records.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import type { RunRef } from './run-transitions.ts';

/** The run's live figures are written at most this often; the final outcome is always written. */
const FLUSH_INTERVAL_MS = 500;

/** Totals of the batches already finished, so a later batch's progress adds to them. */
export interface BatchBase {
  readonly filesDone: number;
  readonly bytesDone: number;
}

/**
 * Throttled writer for a push's Progress messages: run counters, the file being sent, and one
 * `run.changed` event per write so the UI refetches.
 */
export function createProgressWriter(deps: DispatchDeps, run: RunRef) {
  let latest: { progress: Progress__Output; base: BatchBase } | undefined;
  let lastPath = '';
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();

  async function flush(): Promise<void> {
    timer = undefined;
    const entry = latest;
    latest = undefined;
    if (!entry) return;
    const { progress, base } = entry;
    const path = progress.currentPath && progress.currentPath !== lastPath ? progress.currentPath : '';
    await fencedWrite(deps, 'run.progress', runSubject(run), async (tx) => {
      await tx.run.updateMany({
        where: { id: run.id, state: 'running' },
        data: {
          filesDone: base.filesDone + Number(progress.filesDone),
          bytesDone: BigInt(base.bytesDone) + BigInt(progress.bytesDone),
        },
      });
      if (path === '') return;
      await tx.runFile.updateMany({
        where: { runId: run.id, path, status: 'pending' },
        data: { status: 'running' },
      });
    });
    if (path !== '') lastPath = path;
    deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
  }

  return {
    update(progress: Progress__Output, base: BatchBase): void {
      latest = { progress, base };
      timer ??= setTimeout(() => {
        writing = writing
          .then(flush)
          .catch((error: unknown) => deps.log(`progress of run ${run.id} not stored: ${String(error)}`));
      }, FLUSH_INTERVAL_MS);
    },
    /** Drops anything not yet written and waits for a write in progress. */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      latest = undefined;
      await writing;
    },
  };
}

/** Adds one batch's result to the run's push totals (`checkpoints.transfer`). */
export function addBatch(totals: PushTotals, result: PushChunksResult__Output): void {
  addPushTotals(totals, {
    bytesRead: Number(result.bytesRead),
    cutBytes: Number(result.cutBytes),
    guidedBytes: Number(result.guidedBytes),
    wireBytes: Number(result.bytesSent),
    newBytes: Number(result.newBytes),
    chunksSent: result.chunksSent,
    chunksReused: result.chunksSkipped,
    filesSent: result.filesSent,
    filesUnchanged: result.filesUnchanged,
    filesFailed: result.filesFailed,
    connections: result.connections,
  });
}

/**
 * Writes one batch's per-file outcomes: done files in one statement, each failure with its cause
 * on its RunFile row and as a DeadLetter row, the counters, and the push's GridCommand row closed,
 * in one transaction fenced by the lease epoch, so no outcome is half-written or written twice.
 * Only then may the Star be told the result is stored (`CommandOutcome.acknowledge`).
 */
export async function recordBatch(
  deps: DispatchDeps,
  run: RunRef,
  /** `commandId`: the push's GridCommand row, closed here; absent when no push went out. */
  push: { readonly commandId?: string; readonly result: PushChunksResult__Output },
  totals: PushTotals,
  base: BatchBase,
): Promise<BatchBase> {
  const { result } = push;
  const ok = result.files.filter((file) => file.status !== 'failed');
  const failed = result.files.filter((file) => file.status === 'failed');
  const okBytes = ok.reduce((sum, file) => sum + BigInt(file.size), 0n);
  await fencedWrite(deps, 'run.batch', runSubject(run), async (tx) => {
    // A batch is recorded once: the row it closes is the proof (a replayed result finds it closed).
    const { commandId } = push;
    const closed = commandId
      ? await tx.gridCommand.updateMany({
          where: { id: commandId, state: 'open' },
          data: {
            state: 'succeeded',
            finishedAt: new Date(),
            result: summarizeResult({ commandId, outcome: 'pushChunks', pushChunks: result }),
          },
        })
      : { count: 1 };
    if (closed.count !== 1) {
      deps.log(`run ${run.id}: push ${push.commandId} is already closed; its batch is not counted again`);
      return;
    }
    await markFiles(
      tx,
      run,
      ok.map((file) => file.path),
      failed.map((file) => ({ path: file.path, cause: `${file.reason}: ${file.message}` })),
    );
    await tx.run.update({
      where: { id: run.id },
      data: {
        // Absolute, not incremented: progress writes may already have counted part of this batch.
        filesDone: base.filesDone + ok.length,
        bytesDone: BigInt(base.bytesDone) + okBytes,
        bytesWritten: { increment: BigInt(result.newBytes) },
        chunksReused: { increment: result.chunksSkipped },
        checkpoints: { transfer: { ...totals } },
      },
      select: { id: true },
    });
  });
  deps.events?.publish(run.teamId, { type: 'run.changed', id: run.id });
  return { filesDone: ok.length, bytesDone: Number(okBytes) };
}

/**
 * Sets files' RunFile rows: done (bytes done = scanned size, in one statement) or failed with their
 * cause, each failure also a DeadLetter row. Inside the caller's fenced transaction. Returns how
 * many rows became done and their bytes (a path without a row counts for nothing).
 */
export async function markFiles(
  tx: Tx,
  run: RunRef,
  done: readonly string[],
  failed: readonly { readonly path: string; readonly cause: string }[],
): Promise<{ files: number; bytes: bigint }> {
  const [marked] = await tx.$queryRaw<{ files: bigint; bytes: bigint | null }[]>`
    WITH marked AS (
      UPDATE "RunFile" SET status = 'done'::"RunFileStatus", "bytesDone" = size, error = NULL, "updatedAt" = now()
      WHERE "runId" = ${run.id} AND path = ANY(${[...done]})
      RETURNING size)
    SELECT count(*) AS files, sum(size)::bigint AS bytes FROM marked`;
  for (const { path, cause } of failed) {
    await tx.runFile.updateMany({
      where: { runId: run.id, path },
      data: { status: 'failed', error: cause },
    });
    await tx.deadLetter.create({
      data: { runId: run.id, path, error: cause, attempts: 1 },
      select: { id: true },
    });
  }
  return { files: Number(marked?.files ?? 0), bytes: marked?.bytes ?? 0n };
}
