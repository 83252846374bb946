// Timing and reporting helpers for bench/run.mjs: run a real command, measure wall time, fail loudly.
import { spawnSync } from 'node:child_process';

/** Runs a command to completion and returns its wall time; a non-zero exit aborts the bench. */
export function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stderr ?? ''}`,
    );
  }
  return { ms, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function commandVersion(command, args = ['--version']) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return (result.stdout || result.stderr || '').split('\n')[0]?.trim() ?? '';
}

/**
 * Flushes dirty pages and returns how long that took. Called before a timed step (so earlier writes
 * are not billed to it) and after it (so every tool is timed to data on disk, as Orbit fsyncs).
 */
export function syncDisks() {
  const started = process.hrtime.bigint();
  spawnSync('sync', [], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function ratio(a, b) {
  return `${(a / b).toFixed(2)}×`;
}

export function mibPerSecond(bytes, ms) {
  return `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s`;
}

export function humanBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 2)} ${units[unit]}`;
}

/** A fixed-width table: the first column left-aligned, the rest right-aligned. */
export function table(header, rows) {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (row) =>
    row
      .map((cell, column) =>
        column === 0 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]),
      )
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
