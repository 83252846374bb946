import { formatBytes } from '@orbit/engine/planner/index';
import type { JobResult, ProgressEvent } from '@orbit/engine/runner/index';
import { formatElapsed, indentContinuation } from './format-units.ts';

const STATUS_MARK: Record<JobResult['status'], string> = {
  succeeded: '✔',
  'resumed-complete': '✔',
  failed: '✖',
  skipped: '○',
};

/** How a file's outcome reads: done in a run, to be done in a dry run. */
export function fileActionWords(dryRun: boolean): { copied: string; updated: string; deleted: string } {
  return dryRun
    ? { copied: 'to copy', updated: 'to update', deleted: 'to delete' }
    : { copied: 'copied', updated: 'updated', deleted: 'deleted' };
}

export function jobStartLine(event: Extract<ProgressEvent, { type: 'job-start' }>): string {
  const totals =
    event.totalFiles === undefined
      ? ''
      : `: ${event.totalFiles} files${event.totalBytes === undefined ? '' : `, ${formatBytes(event.totalBytes)}`}`;
  return `▶ ${event.job}${totals}`;
}

/** One line per finished job; failures and skips carry their reason. */
export function jobDoneLine(result: JobResult, dryRun = false): string {
  const mark = STATUS_MARK[result.status];
  if (result.status === 'skipped') return `${mark} ${result.job}: skipped — ${result.reason ?? 'not run'}`;
  if (result.status === 'resumed-complete') {
    return `${mark} ${result.job}: already finished in the interrupted run, not redone`;
  }
  const c = result.counters;
  const words = fileActionWords(dryRun);
  const files = [
    c.filesCopied > 0 ? `${c.filesCopied} ${words.copied}` : '',
    c.filesUpdated > 0 ? `${c.filesUpdated} ${words.updated}` : '',
    c.filesUnchanged > 0 ? `${c.filesUnchanged} unchanged` : '',
    c.filesDeleted > 0 ? `${c.filesDeleted} ${words.deleted}` : '',
    c.filesSkipped > 0 ? `${c.filesSkipped} skipped` : '',
    result.failures.length > 0 ? `${result.failures.length} failed` : '',
  ].filter(Boolean);
  // A dry run reads nothing, so it has no chunks to count.
  const detail = [
    `${c.filesScanned} ${c.filesScanned === 1 ? 'file' : 'files'}${files.length > 0 ? ` (${files.join(', ')})` : ''}`,
    ...(dryRun
      ? [`would write up to ${formatBytes(c.bytesWritten)}`]
      : [
          `read ${formatBytes(c.bytesRead)}`,
          `wrote ${formatBytes(c.bytesWritten)}`,
          `${c.chunksWritten} chunks written, ${c.chunksReused} reused`,
        ]),
    formatElapsed(result.durationMs),
  ].join(', ');
  const reason = result.status === 'failed' && result.reason !== undefined ? ` — ${result.reason}` : '';
  return `${mark} ${result.job}: ${result.status}${reason} — ${detail}`;
}

export function fileLine(event: ProgressEvent): string | undefined {
  if (event.type === 'file-done') return `  ${event.action.padEnd(9)} ${event.job}: ${event.path}`;
  if (event.type === 'file-failed') {
    return `  failed    ${event.job}: ${event.path}: ${indentContinuation(event.error, '    ')}`;
  }
  return undefined;
}
