import { formatBytes } from '@orbit/engine/planner/index';

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** `h:mm:ss` above an hour, `m:ss` below. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Short human duration for summaries: `850 ms`, `12.3 s`, `4:05`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatClock(ms);
}

/** Keeps the end of a path (the informative part) within `width` characters. */
export function truncateStart(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(-width);
  return `…${text.slice(text.length - width + 1)}`;
}

/** Indents every line after the first, so a multi-line message (with its hint) stays under its item. */
export function indentContinuation(text: string, indent: string): string {
  return text.replaceAll('\n', `\n${indent}`);
}
