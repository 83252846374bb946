import { formatBytes } from '@orbit/engine/planner/index';
import type { JobResult, ProgressEvent } from '@orbit/engine/runner/index';
import { formatElapsed, indentContinuation } from './format-units.ts';

const STATUS_MARK: Record<JobResult['status'], string> = {
  succeeded: '✔',
  'resumed-complete': '✔',
  failed: '✖',
  skipped: '○',
};

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
  const files = [
    c.filesCopied > 0 ? `${c.filesCopied} copied` : '',
    c.filesUpdated > 0 ? `${c.filesUpdated} updated` : '',
    c.filesUnchanged > 0 ? `${c.filesUnchanged} unchanged` : '',
    c.filesDeleted > 0 ? `${c.filesDeleted} deleted` : '',
    c.filesSkipped > 0 ? `${c.filesSkipped} skipped` : '',
    result.failures.length > 0 ? `${result.failures.length} failed` : '',
  ].filter(Boolean);
  const detail = [
    `${c.filesScanned} ${c.filesScanned === 1 ? 'file' : 'files'}${files.length > 0 ? ` (${files.join(', ')})` : ''}`,
    `read ${formatBytes(c.bytesRead)}`,
    `${dryRun ? 'would write up to' : 'wrote'} ${formatBytes(c.bytesWritten)}`,
    `${c.chunksWritten} chunks written, ${c.chunksReused} reused`,
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
