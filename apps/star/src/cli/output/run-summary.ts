import { formatBytes } from '@orbit/engine/planner/index';
import type { JobResult, RunSummary } from '@orbit/engine/runner/index';
import { formatElapsed, indentContinuation } from './format-units.ts';
import { fileActionWords } from './job-lines.ts';

/**
 * The `--json` document of `orbit run`: one object, stable field names, every failure with its cause.
 * `version` changes only when a field changes meaning or goes away.
 */
export function runSummaryJson(summary: RunSummary, dryRun: boolean) {
  return {
    version: 1,
    runId: summary.runId,
    status: summary.status,
    dryRun,
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    resumedFrom: summary.resumedFrom ?? null,
    bytesRead: summary.totals.bytesRead,
    bytesWritten: summary.totals.bytesWritten,
    chunksWritten: summary.totals.chunksWritten,
    chunksReused: summary.totals.chunksReused,
    totals: summary.totals,
    jobs: summary.jobs.map((job) => ({
      name: job.job,
      status: job.status,
      reason: job.reason ?? null,
      durationMs: job.durationMs,
      retries: job.retries,
      checksumMatch: job.checksumMatch ?? null,
      counters: job.counters,
      failures: job.failures,
      extraneous: job.extraneous ?? [],
    })),
    failures: summary.failures,
    notes: summary.notes,
  };
}

const STATUS_WORDS: Record<RunSummary['status'], string> = {
  succeeded: 'succeeded',
  failed: 'finished with failures',
  cancelled: 'was interrupted; run the same command again to resume',
};

function problemLines(jobs: readonly JobResult[], summary: RunSummary): string[] {
  const statusOf = new Map(jobs.map((job) => [job.job, job.status]));
  const lines: string[] = [];
  const explained = new Set<string>();
  for (const failure of summary.failures) {
    if (failure.path === undefined && statusOf.get(failure.job) === 'skipped') {
      explained.add(failure.job);
      lines.push(`  ○ ${failure.job}: skipped — ${failure.message}`);
      continue;
    }
    // A failure at a job's root (its source cannot be scanned) already starts with that path.
    const path =
      failure.path === undefined || failure.message.startsWith(`${failure.path}:`) ? '' : `: ${failure.path}`;
    lines.push(`  ✖ ${failure.job}${path}: ${indentContinuation(failure.message, '    ')}`);
  }
  for (const job of jobs) {
    if (job.status === 'skipped' && !explained.has(job.job) && !job.notPreviewed) {
      lines.push(`  ○ ${job.job}: skipped — ${job.reason ?? 'not run'}`);
    }
    if ((job.extraneous?.length ?? 0) > 0) {
      lines.push(
        `  • ${job.job}: kept ${job.extraneous?.length} destination path(s) the source no longer has (set delete = true to remove them)`,
      );
    }
  }
  return lines;
}

/** The human summary printed after a run: outcome, totals, then every failure and skip with its cause. */
export function renderRunSummary(summary: RunSummary, dryRun: boolean): string {
  const t = summary.totals;
  const words = fileActionWords(dryRun);
  const lines = [
    `${dryRun ? 'Dry run' : 'Run'} ${summary.runId} ${STATUS_WORDS[summary.status]} in ${formatElapsed(summary.durationMs)}` +
      (summary.resumedFrom === undefined ? '' : ` (resumed run ${summary.resumedFrom})`),
    `  ${t.filesScanned} files: ${t.filesCopied} ${words.copied}, ${t.filesUpdated} ${words.updated}, ` +
      `${t.filesUnchanged} unchanged, ${t.filesDeleted} ${words.deleted}, ${t.filesSkipped} skipped`,
    dryRun
      ? `  would write up to ${formatBytes(t.bytesWritten)} (nothing was read)`
      : `  read ${formatBytes(t.bytesRead)}, wrote ${formatBytes(t.bytesWritten)}; ` +
        `${t.chunksWritten} chunks written, ${t.chunksReused} reused`,
  ];
  const problems = problemLines(summary.jobs, summary);
  if (problems.length > 0) lines.push('Problems:', ...problems);
  if (summary.notes.length > 0) lines.push('Notes:', ...summary.notes.map((note) => `  ${note}`));
  return `${lines.join('\n')}\n`;
}
