import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditKey } from '../audit/audit-chain.ts';
import { AuditLogWriter } from '../audit/audit-log-writer.ts';
import { isOrbitError, OrbitError } from '../errors.ts';
import { producerOfMissingSource } from '../manifest/load-manifest.ts';
import { manifestFingerprint } from '../manifest/manifest-fingerprint.ts';
import type { Manifest } from '../manifest/manifest-types.ts';
import { acquireLockFile, type StoreLock } from '../pack/store-lock.ts';
import { planStarmap } from '../planner/starmap-plan.ts';
import { type AuditAppend, jobAuditEvent, provenanceToAudit } from './audit-bridge.ts';
import { DEFAULT_EXECUTORS } from './executor-registry.ts';
import {
  type ExecutorRegistry,
  emptyCounters,
  type JobContext,
  type JobCounters,
  type JobResult,
  type ProgressEvent,
  type ResolvedJob,
} from './job-executor.ts';
import { RunJournal } from './run-journal.ts';

export interface RunOptions {
  /** Run state (journal, cargo manifests); default `<manifest folder>/.orbit`. */
  readonly stateDir?: string;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** HMAC key for the audit log (the caller reads it from `manifest.defaults.auditKeyEnv`). */
  readonly auditKey?: AuditKey;
  /** Overrides the manifest's `audit_log`; `false` disables auditing for this run. */
  readonly auditLogPath?: string | false;
  /** Replaces or adds executors by mode (e.g. the Star's remote executors). */
  readonly executors?: ExecutorRegistry;
  /** Bytes between resume checkpoints of a large file. */
  readonly checkpointBytes?: number;
}

export interface RunFailure {
  readonly job: string;
  readonly path?: string;
  readonly message: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: JobCounters;
  readonly jobs: readonly JobResult[];
  readonly failures: readonly RunFailure[];
  /** The interrupted run this one continued. */
  readonly resumedFrom?: string;
  /** Things the user should know that are not failures (a journal moved aside, no resume…). */
  readonly notes: readonly string[];
}

/**
 * Runs a manifest: plans it with the Starmap planner, runs each parallel group (already capped at
 * `concurrency`), skips dependents of failed jobs, resumes an interrupted run of the same manifest
 * and writes the audit chain. Jobs are looked up by mode in the executor registry.
 */
export async function runManifest(manifest: Manifest, options: RunOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const runId = randomUUID();
  const dryRun = options.dryRun ?? false;
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => undefined);
  const stateDir = options.stateDir ?? join(manifest.baseDir, '.orbit');

  // One run per state folder: two would append to the same journal and replace each other's temp files.
  let lock: StoreLock | undefined;
  if (!dryRun) {
    await mkdir(stateDir, { recursive: true });
    lock = await acquireLockFile(join(stateDir, 'run.lock'), 'the run state folder');
  }
  try {
    return await runLocked(manifest, options, { runId, started, stateDir, dryRun, signal, onProgress });
  } finally {
    await lock?.release();
  }
}

interface RunSetup {
  readonly runId: string;
  readonly started: number;
  readonly stateDir: string;
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  readonly onProgress: (event: ProgressEvent) => void;
}

async function runLocked(manifest: Manifest, options: RunOptions, setup: RunSetup): Promise<RunSummary> {
  const { runId, started, stateDir, dryRun, signal, onProgress } = setup;
  const startedAt = new Date(started).toISOString();
  const executors: ExecutorRegistry = { ...DEFAULT_EXECUTORS, ...options.executors };
  const plan = planStarmap(manifest);
  const jobsByName = new Map(manifest.jobs.map((job) => [job.name, job]));
  const notes: string[] = [];

  const auditPath = options.auditLogPath ?? manifest.defaults.auditLog;
  let auditWriter: AuditLogWriter | undefined;
  if (auditPath && !dryRun) {
    if (options.auditKey === undefined || options.auditKey.length === 0) {
      throw new OrbitError('INVALID_ARGUMENT', 'the audit log is on but no audit key was given', {
        path: auditPath,
        hint: `set ${manifest.defaults.auditKeyEnv} to a secret key, or set audit_log = false in [defaults]`,
      });
    }
    auditWriter = await AuditLogWriter.open(auditPath, options.auditKey);
  }
  const audit: AuditAppend = async (event) => {
    await auditWriter?.append(event);
  };

  let journal: RunJournal | undefined;
  let resumedFrom: string | undefined;
  if (!dryRun) {
    const opened = await RunJournal.open(stateDir, manifestFingerprint(manifest), runId).catch(
      async (error: unknown) => {
        await auditWriter?.close().catch(() => undefined);
        throw error;
      },
    );
    journal = opened.journal;
    resumedFrom = opened.resumedFrom;
    if (opened.note) notes.push(opened.note);
  }

  const results = new Map<string, JobResult>();
  let cancelled = false;
  let finished = false;
  try {
    await audit({
      type: 'run-start',
      run_id: runId,
      timestamp: startedAt,
      jobs: plan.order.map((name) => name),
      manifest: manifest.file,
    });
    for (const group of plan.groups) {
      if (signal.aborted) break;
      const jobs = group.flatMap((name) => jobsByName.get(name) ?? []);
      // allSettled: a cancelled group still waits for every job in it to stop before the run ends.
      const settled = await Promise.allSettled(
        jobs.map((job) =>
          runOne(job, {
            manifest,
            results,
            journal,
            executors,
            audit,
            runId,
            stateDir,
            dryRun,
            signal,
            onProgress,
            options,
            ignorePaths: auditPath ? [stateDir, auditPath] : [stateDir],
          }),
        ),
      );
      for (const outcome of settled) {
        if (outcome.status === 'fulfilled') results.set(outcome.value.job, outcome.value);
        else if (!signal.aborted) throw outcome.reason;
      }
    }
    cancelled = signal.aborted;
    finished = !cancelled;
  } catch (error) {
    if (!signal.aborted) {
      await auditWriter?.close().catch(() => undefined);
      throw error;
    }
    cancelled = true;
  } finally {
    // Interrupted or crashed runs keep their journal for the next run to resume; finished ones archive it.
    if (journal && finished) await journal.complete();
    else await journal?.close();
  }

  const jobs = plan.order.flatMap((name) => results.get(name) ?? []);
  const failed = jobs.some(
    (job) => job.status === 'failed' || (job.status === 'skipped' && job.notPreviewed !== true),
  );
  for (const job of jobs) if (job.notPreviewed) notes.push(`${job.job}: not previewed — ${job.reason}`);
  const status = cancelled ? 'cancelled' : failed ? 'failed' : 'succeeded';
  const durationMs = Date.now() - started;
  await audit({
    type: 'run-end',
    run_id: runId,
    timestamp: new Date().toISOString(),
    status,
    duration_ms: durationMs,
    jobs_succeeded: jobs.filter((job) => job.status === 'succeeded' || job.status === 'resumed-complete')
      .length,
    jobs_failed: jobs.filter((job) => job.status === 'failed').length,
    jobs_skipped: jobs.filter((job) => job.status === 'skipped').length,
  });
  await auditWriter?.close();
  return {
    runId,
    status,
    startedAt,
    durationMs,
    totals: sumCounters(jobs),
    jobs,
    failures: jobs.flatMap((job) => failuresOf(job)),
    ...(resumedFrom ? { resumedFrom } : {}),
    notes,
  };
}

interface RunOneInput {
  readonly manifest: Manifest;
  readonly results: ReadonlyMap<string, JobResult>;
  readonly journal: RunJournal | undefined;
  readonly executors: ExecutorRegistry;
  readonly audit: AuditAppend;
  readonly runId: string;
  readonly stateDir: string;
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  readonly onProgress: (event: ProgressEvent) => void;
  readonly options: RunOptions;
  readonly ignorePaths: readonly string[];
}

async function runOne(job: ResolvedJob, input: RunOneInput): Promise<JobResult> {
  const { journal, audit, runId } = input;
  const finish = async (result: JobResult): Promise<JobResult> => {
    if (result.status !== 'skipped') await journal?.jobFinished(job.name, result.status);
    await audit(jobAuditEvent(runId, job, result));
    return result;
  };
  /** A job its executor never ran (or that threw): the executor's job-done is said here instead. */
  const notRunAnnounced = (result: JobResult): Promise<JobResult> => {
    input.onProgress({ type: 'job-done', job: job.name, result });
    return finish(result);
  };

  const unpreviewed = job.dependsOn.find((name) => input.results.get(name)?.notPreviewed);
  if (unpreviewed !== undefined) {
    return notRunAnnounced({
      ...notRun(job, 'skipped', `it waits for job "${unpreviewed}", which this dry run could not preview`),
      notPreviewed: true,
    });
  }
  const blocked = job.dependsOn.find((name) => {
    const status = input.results.get(name)?.status;
    return status !== 'succeeded' && status !== 'resumed-complete';
  });
  if (blocked !== undefined) {
    return notRunAnnounced(notRun(job, 'skipped', `dependency "${blocked}" failed`));
  }
  const before = job.resume ? journal?.finishedBefore(job.name) : undefined;
  if (before === 'succeeded' || before === 'resumed-complete') {
    return notRunAnnounced(
      notRun(job, 'resumed-complete', 'finished in the interrupted run this one resumes'),
    );
  }
  const locations = input.manifest.locations[job.name];
  const remote = [locations?.source, locations?.destination].find((location) => location?.kind === 'star');
  if (remote?.kind === 'star') {
    return notRunAnnounced(
      notRun(job, 'failed', `job uses Star "${remote.star}"; grid jobs run through the Nucleus, not locally`),
    );
  }
  const producer = input.dryRun ? await producerOfMissingSource(input.manifest, job.name) : undefined;
  if (producer !== undefined) {
    return notRunAnnounced({
      ...notRun(
        job,
        'skipped',
        `its source ${job.source} does not exist yet: job "${producer}" makes it, and a dry run moves nothing`,
      ),
      notPreviewed: true,
    });
  }
  const executor = input.executors[job.mode];
  if (!executor) {
    return notRunAnnounced(notRun(job, 'failed', `no executor is registered for mode "${job.mode}"`));
  }
  const context: JobContext = {
    runId,
    signal: input.signal,
    dryRun: input.dryRun,
    stateDir: input.stateDir,
    ...(journal && job.resume ? { journal: journal.forJob(job.name) } : {}),
    ...(input.options.checkpointBytes ? { checkpointBytes: input.options.checkpointBytes } : {}),
    ignorePaths: input.ignorePaths,
    onProgress: input.onProgress,
    audit: (event) => audit(provenanceToAudit(runId, event)),
  };
  const started = Date.now();
  try {
    const result = await executor(job, context);
    return finish(result);
  } catch (error) {
    if (input.signal.aborted) throw error;
    const message = isOrbitError(error) ? error.format() : String(error);
    return notRunAnnounced({ ...notRun(job, 'failed', message), durationMs: Date.now() - started });
  }
}

function notRun(job: ResolvedJob, status: JobResult['status'], reason: string): JobResult {
  return {
    job: job.name,
    status,
    counters: emptyCounters(),
    durationMs: 0,
    retries: 0,
    reason,
    failures: [],
  };
}

function failuresOf(result: JobResult): RunFailure[] {
  if (result.notPreviewed) return [];
  const listed = result.failures.map((failure) => ({
    job: result.job,
    path: failure.path,
    message: failure.message,
  }));
  if (listed.length > 0 || (result.status !== 'failed' && result.status !== 'skipped')) return listed;
  return [{ job: result.job, message: result.reason ?? result.status }];
}

function sumCounters(results: readonly JobResult[]): JobCounters {
  const totals = emptyCounters();
  for (const { counters } of results) {
    for (const key of Object.keys(totals) as (keyof JobCounters)[]) totals[key] += counters[key];
  }
  return totals;
}
