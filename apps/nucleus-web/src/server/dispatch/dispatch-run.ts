import { randomUUID } from 'node:crypto';
import { DEFAULT_CHUNKING } from '@orbit/engine/chunking/chunking-options';
import { emptyPushTotals, type PushTotals } from '@orbit/engine/transfer/push-totals';
import type { HashAlgorithm, PushChunksResult__Output, PushedFile__Output } from '@orbit/proto';
import { GridCommandError } from '../grid/grid-command-error.ts';
import type { RunState } from '../runs/run-state-machine.ts';
import { jobOptionsSchema } from '../services/jobs/job-fields.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { fencedWrite, runSubject } from './lease-fence.ts';
import { openPush } from './push-records.ts';
import { issueTicket } from './push-ticket.ts';
import { finishMode, modeJobOf, runModeOf } from './run-modes.ts';
import { addBatch, type BatchBase, createProgressWriter, recordBatch } from './run-progress.ts';
import { type DispatchJob, pathRefusal } from './run-readiness.ts';
import { auditRefusal, type RunRef, transitionRun } from './run-transitions.ts';
import { type SourceFile, scanSource } from './scan-source.ts';

/** A push is split into commands of at most this many files, so each result stays well under 4 MiB. */
const FILES_PER_PUSH = 5000;
const PREPARE_DEADLINE_MS = 60_000;
/** A push may run for a long time; the hub's deadline only bounds a Star that went silent for good. */
export const PUSH_DEADLINE_MS = 24 * 60 * 60_000;

export interface DispatchRun extends RunRef {
  readonly state: RunState;
  readonly checkpoints: unknown;
  readonly job: DispatchJob & {
    readonly include: string[];
    readonly exclude: string[];
    readonly mode: string;
    readonly compression: string;
    readonly checksum: string;
    readonly options: unknown;
  };
}

/** A running push the dispatcher knows, for cancel and for the Star's ticket requests. */
export interface ActivePush {
  readonly run: RunRef;
  readonly sourceStarId: string;
  readonly destinationStarId: string;
  readonly jobId: string;
  readonly destinationPath: string;
}

export interface RunAttemptContext {
  readonly deps: DispatchDeps;
  readonly pushes: Map<string, ActivePush>;
  /** Aborted when the Nucleus stops: the run is left as it is for the next start to pick up. */
  readonly stopping: AbortSignal;
  /** This dispatcher's lease holder id, recorded on the commands it sends. */
  readonly holder: string;
}

const ALGORITHM: Record<string, HashAlgorithm> = {
  blake3: 'HASH_ALGORITHM_BLAKE3',
  sha256: 'HASH_ALGORITHM_SHA256',
};

/**
 * One attempt at a run: check paths, scan the source, prepare the destination, push in batches,
 * record every file's outcome and finish the run. Throws a GridCommandError the caller may retry
 * (a Star dropped); every other failure ends the run as failed with its cause.
 */
export async function attemptRun(context: RunAttemptContext, run: DispatchRun): Promise<void> {
  const { deps } = context;
  const { job } = run;
  const sourceStarId = job.sourceStarId ?? '';
  const destinationStarId = job.destinationStarId ?? '';
  let state = run.state;
  if (state === 'queued') {
    if (!(await transitionRun(deps, run, 'queued', 'plan', { error: null }))) return;
    state = 'planning';
  }
  const mode = runModeOf(job.mode);
  const modeJob = modeJobOf(job);
  const modeRefusal = mode ? mode.refuse(modeJob) : `mode "${job.mode}" is unknown to this Nucleus`;
  const refusal = modeRefusal ?? (await refusePaths(deps, job));
  if (refusal) {
    if (!modeRefusal) await auditRefusal(deps, run, 'run.path_denied', { reason: refusal });
    await transitionRun(deps, run, state, 'fail', { error: refusal }, { reason: refusal });
    return;
  }
  // A push left over from before a Nucleus restart would hold the receiver's file locks: stop it.
  const previous = previousPush(run.checkpoints);
  if (previous) deps.hub.cancelCommand(previous.sourceStarId, previous.commandId);

  const scan = await scanSource(deps, run, sourceStarId, job);
  const { files } = scan;
  if (state === 'planning') {
    const started = await transitionRun(
      deps,
      run,
      'planning',
      'start',
      { filesTotal: files.length, bytesTotal: files.reduce((sum, file) => sum + file.size, 0n) },
      { files: files.length },
    );
    if (!started) return;
  }
  await fencedWrite(deps, 'run.scan', runSubject(run), (tx) =>
    tx.run.update({
      where: { id: run.id },
      data: { filesTotal: files.length, filesDone: 0, bytesDone: 0n },
      select: { id: true },
    }),
  );

  const refused = (await mode?.beforePushes?.(deps, run, modeJob, scan)) ?? new Map<string, string>();
  const prepared = await deps.hub.sendCommand(
    destinationStarId,
    {
      prepareReceive: {
        jobId: job.id,
        destinationPath: job.destinationPath,
        ...mode?.receive(modeJob),
      },
    },
    { deadlineMs: PREPARE_DEADLINE_MS },
  );
  const receiver = prepared.result.prepareReceive;
  if (!receiver) throw new GridCommandError('ERROR_CODE_INTERNAL', 'prepareReceive returned no address');

  const options = jobOptionsSchema.safeParse(job.options);
  const chunking = options.success ? options.data.chunking : undefined;
  const totals = emptyPushTotals();
  const base: { filesDone: number; bytesDone: number } = { filesDone: 0, bytesDone: 0 };
  const progress = createProgressWriter(deps, run);
  try {
    for (let start = 0; start < files.length; start += FILES_PER_PUSH) {
      // A user may have cancelled between batches: send no more work for this run.
      if (!(await stillRunning(deps, run))) return;
      const batchFiles = files.slice(start, start + FILES_PER_PUSH);
      // Files the destination holds already (archive: unchanged since its snapshot) are not read.
      const held = [
        ...((await mode?.held?.(deps, modeJob, batchFiles)) ?? []),
        ...refusedIn(batchFiles, refused),
      ];
      const heldPaths = new Set(held.map((file) => file.path));
      // A file's later names are linked by the mode's last step, not sent again.
      const batch = batchFiles
        .filter((file) => !heldPaths.has(file.path) && !(mode?.linksHardLinks && file.hardLinkTo))
        .map((file) => file.path);
      const pushed =
        batch.length === 0
          ? emptyPush()
          : await pushBatch(context, run, {
              position: {
                firstFile: start,
                batchFiles: batchFiles.length,
                filesTotal: files.length,
                base: { ...base },
                totals,
              },
              peerAddress: receiver.dataAddress,
              peerCertFingerprint: receiver.certFingerprint,
              files: batch,
              // Bounds the job leaves out keep the engine's defaults; the Star validates the result.
              chunking: chunking
                ? {
                    minSize: chunking.min ?? DEFAULT_CHUNKING.minSize,
                    avgSize: chunking.avg ?? DEFAULT_CHUNKING.avgSize,
                    maxSize: chunking.max ?? DEFAULT_CHUNKING.maxSize,
                  }
                : null,
              onProgress: (update) => progress.update(update, { ...base }),
            });
      await progress.stop();
      if (!pushed) return;
      const result = withHeld(pushed.result, held);
      addBatch(totals, result);
      const done: BatchBase = await recordBatch(
        deps,
        run,
        { ...(pushed.commandId ? { commandId: pushed.commandId } : {}), result },
        totals,
        base,
      );
      // Stored: only now may the Star drop the result (until then it replays it to any Nucleus).
      pushed.acknowledge();
      base.filesDone += done.filesDone;
      base.bytesDone += done.bytesDone;
    }
  } finally {
    await progress.stop();
  }
  await finishRun(deps, run, totals, files.length);
}

/** The run after its last batch: succeeded, or failed naming one of its dead letters. */
export async function finishRun(
  deps: DispatchDeps,
  run: RunRef,
  totals: PushTotals,
  filesTotal: number,
): Promise<void> {
  // The mode's last step (mirror's removals, archive's snapshot) runs once every batch is in.
  const finished = await finishMode(deps, run, totals);
  const details = { ...totals, ...finished.details };
  if (totals.filesFailed === 0) {
    const error = finished.failure ?? null;
    await transitionRun(deps, run, 'running', error ? 'fail' : 'succeed', { error }, details);
    return;
  }
  const failure = await deps.prisma.deadLetter.findFirst({
    where: { runId: run.id },
    orderBy: { createdAt: 'desc' },
    select: { path: true, error: true },
  });
  const error = `${totals.filesFailed} of ${filesTotal} files failed${failure ? `; e.g. ${failure.path}: ${failure.error}` : ''}`;
  await transitionRun(deps, run, 'running', 'fail', { error }, details);
}

interface BatchInput {
  /** Where the batch sits in the run, recorded with the push for a Nucleus that re-attaches to it. */
  readonly position: {
    readonly firstFile: number;
    /** Files of the scan this batch covers, held ones included (the push may carry fewer). */
    readonly batchFiles: number;
    readonly filesTotal: number;
    readonly base: BatchBase;
    readonly totals: PushTotals;
  };
  readonly peerAddress: string;
  readonly peerCertFingerprint: string;
  readonly files: string[];
  readonly chunking: { minSize: number; avgSize: number; maxSize: number } | null;
  readonly onProgress: Parameters<DispatchDeps['hub']['sendCommand']>[2]['onProgress'];
}

/** A push's result, not yet acknowledged to the Star. */
interface PushedBatch {
  /** Undefined when no push went out (every file of the batch was held). */
  readonly commandId: string | undefined;
  readonly result: PushChunksResult__Output;
  acknowledge(): void;
}

/** Sends one batch as a recorded push; undefined when the run stopped running before it went out. */
async function pushBatch(
  context: RunAttemptContext,
  run: DispatchRun,
  input: BatchInput,
): Promise<PushedBatch | undefined> {
  const { deps } = context;
  const { job } = run;
  const push: ActivePush = {
    run,
    sourceStarId: job.sourceStarId ?? '',
    destinationStarId: job.destinationStarId ?? '',
    jobId: job.id,
    destinationPath: job.destinationPath,
  };
  const commandId = randomUUID();
  const { position } = input;
  const recorded = await openPush(deps, run, {
    commandId,
    sourceStarId: push.sourceStarId,
    firstFile: position.firstFile,
    files: position.batchFiles,
    filesTotal: position.filesTotal,
    base: position.base,
    totals: position.totals,
    deadline: new Date(Date.now() + PUSH_DEADLINE_MS),
    issuedBy: context.holder,
  });
  if (!recorded) return undefined;
  context.pushes.set(commandId, push);
  try {
    const outcome = await deps.hub.sendCommand(
      push.sourceStarId,
      {
        pushChunks: {
          peerAddress: input.peerAddress,
          peerCertFingerprint: input.peerCertFingerprint,
          ticket: await issueTicket(deps, push),
          algorithm: ALGORITHM[job.checksum] ?? 'HASH_ALGORITHM_BLAKE3',
          jobId: job.id,
          sourceRoot: job.sourcePath,
          files: input.files,
          compression: job.compression,
          ...(input.chunking ? { chunking: input.chunking } : {}),
        },
      },
      {
        deadlineMs: PUSH_DEADLINE_MS,
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        recorded: { id: commandId, fence: deps.fence },
      },
    );
    const result = outcome.result.pushChunks;
    if (!result) throw new GridCommandError('ERROR_CODE_INTERNAL', 'pushChunks returned no result');
    return { commandId, result, acknowledge: outcome.acknowledge };
  } finally {
    context.pushes.delete(commandId);
  }
}

/** A batch whose every file the destination held: nothing is sent, so nothing to record or acknowledge. */
function emptyPush(): PushedBatch {
  return {
    commandId: undefined,
    result: {
      chunksSent: 0,
      chunksSkipped: 0,
      bytesSent: 0,
      bytesRead: 0,
      cutBytes: 0,
      guidedBytes: 0,
      newBytes: 0,
      filesSent: 0,
      filesUnchanged: 0,
      filesFailed: 0,
      connections: 0,
      files: [],
    },
    acknowledge: () => undefined,
  };
}

/**
 * The push's outcome with the files not pushed: those the destination held (unchanged, nothing
 * read) and those the mode refused (failed).
 */
function withHeld(
  pushed: PushChunksResult__Output,
  held: readonly PushedFile__Output[],
): PushChunksResult__Output {
  if (held.length === 0) return pushed;
  const failed = held.filter((file) => file.status === 'failed').length;
  return {
    ...pushed,
    filesUnchanged: pushed.filesUnchanged + held.length - failed,
    filesFailed: pushed.filesFailed + failed,
    files: [...pushed.files, ...held],
  };
}

/** The batch's files the mode refused to push, as failed outcomes with the mode's reason. */
function refusedIn(files: readonly SourceFile[], refused: ReadonlyMap<string, string>): PushedFile__Output[] {
  if (refused.size === 0) return [];
  return files.flatMap((file) => {
    const message = refused.get(file.path);
    return message === undefined
      ? []
      : [
          {
            path: file.path,
            status: 'failed',
            hash: '',
            reason: 'kind-conflict',
            message,
            size: Number(file.size),
          },
        ];
  });
}

async function refusePaths(deps: DispatchDeps, job: DispatchJob): Promise<string | undefined> {
  const stars = await deps.prisma.star.findMany({
    where: { id: { in: [job.sourceStarId ?? '', job.destinationStarId ?? ''] } },
    select: { id: true, name: true, allowedPaths: true },
  });
  const source = stars.find((star) => star.id === job.sourceStarId);
  const destination = stars.find((star) => star.id === job.destinationStarId);
  const read = pathRefusal(job.sourcePath, source?.allowedPaths, false);
  if (read) return `source path refused on Star "${source?.name}": ${read}`;
  const write = pathRefusal(job.destinationPath, destination?.allowedPaths, true);
  if (write) return `destination path refused on Star "${destination?.name}": ${write}`;
  return undefined;
}

async function stillRunning(deps: DispatchDeps, run: RunRef): Promise<boolean> {
  const row = await deps.prisma.run.findUnique({ where: { id: run.id }, select: { state: true } });
  return row?.state === 'running';
}

function previousPush(checkpoints: unknown): { commandId: string; sourceStarId: string } | undefined {
  const push = (checkpoints as { push?: { commandId?: unknown; sourceStarId?: unknown } } | null)?.push;
  return typeof push?.commandId === 'string' && typeof push.sourceStarId === 'string'
    ? { commandId: push.commandId, sourceStarId: push.sourceStarId }
    : undefined;
}
