import { formatBytes } from '@orbit/engine/planner/index';
import { formatClock, formatRate, truncateStart } from './format-units.ts';
import type { ProgressSnapshot } from './progress-tracker.ts';

/** Rates need a little history before they mean anything. */
const MIN_ELAPSED_FOR_RATE_MS = 500;

/** One status line: files done/total, bytes, rate, ETA and the current file, fitted to `width`. */
export function renderProgressLine(snapshot: ProgressSnapshot, width: number): string {
  const files =
    snapshot.filesTotal === undefined
      ? `${snapshot.filesDone} ${snapshot.filesDone === 1 ? 'file' : 'files'}`
      : `${snapshot.filesDone}/${snapshot.filesTotal} files`;
  const bytes =
    snapshot.bytesTotal === undefined
      ? formatBytes(snapshot.bytesDone)
      : `${formatBytes(snapshot.bytesDone)}/${formatBytes(snapshot.bytesTotal)}`;
  const parts = [files, bytes];
  if (snapshot.elapsedMs >= MIN_ELAPSED_FOR_RATE_MS) {
    const rate = (snapshot.bytesDone / snapshot.elapsedMs) * 1000;
    parts.push(formatRate(rate));
    if (snapshot.bytesTotal !== undefined && rate > 0) {
      const remaining = Math.max(0, snapshot.bytesTotal - snapshot.bytesDone);
      parts.push(`ETA ${formatClock((remaining / rate) * 1000)}`);
    }
  }
  const head = parts.join('  ');
  const room = width - head.length - 2;
  if (snapshot.currentFile === undefined || room < 8) return head.slice(0, Math.max(0, width));
  return `${head}  ${truncateStart(snapshot.currentFile, room)}`;
}
