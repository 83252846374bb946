import { emptyCounters } from '@orbit/engine/runner/index';
import { describe, expect, it } from 'vitest';
import { formatClock, formatRate, truncateStart } from './format-units.ts';
import { renderProgressLine } from './progress-line.ts';
import { ProgressTracker } from './progress-tracker.ts';

const MiB = 1024 * 1024;

describe('units', () => {
  it('formats rates, clocks and long paths', () => {
    expect(formatRate(1536)).toBe('1.5 KiB/s');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(3_725_000)).toBe('1:02:05');
    expect(truncateStart('photos/2024/summer/img_0001.jpg', 13)).toBe('…img_0001.jpg');
  });
});

describe('ProgressTracker + renderProgressLine', () => {
  it('shows files, bytes, rate, ETA and the current file from progress events', () => {
    let now = 0;
    const tracker = new ProgressTracker(0, () => now);
    tracker.apply({ type: 'job-start', job: 'a', totalFiles: 2, totalBytes: 4 * MiB });
    tracker.apply({ type: 'file-start', job: 'a', path: 'one.bin', size: MiB });
    tracker.apply({ type: 'bytes', job: 'a', path: 'one.bin', read: MiB, written: MiB });
    tracker.apply({ type: 'file-done', job: 'a', path: 'one.bin', action: 'copied' });
    tracker.apply({ type: 'file-start', job: 'a', path: 'dir/two.bin', size: 3 * MiB });
    tracker.apply({ type: 'bytes', job: 'a', path: 'dir/two.bin', read: MiB, written: MiB });
    now = 1000;
    expect(renderProgressLine(tracker.snapshot(), 120)).toBe(
      '1/2 files  2.0 MiB/4.0 MiB  2.0 MiB/s  ETA 0:01  dir/two.bin',
    );
  });

  it('leaves out rate and totals it does not know yet and fits the width', () => {
    const tracker = new ProgressTracker(0, () => 100);
    tracker.apply({ type: 'job-start', job: 'a' });
    tracker.apply({ type: 'file-start', job: 'a', path: 'a/very/long/path/to/a/file.bin', size: 10 });
    expect(renderProgressLine(tracker.snapshot(), 30)).toBe('0 files  0 B  …h/to/a/file.bin');
  });

  it('counts a skipped unchanged file in full and forgets files of a finished job', () => {
    const tracker = new ProgressTracker(0, () => 0);
    tracker.apply({ type: 'job-start', job: 'a', totalFiles: 1, totalBytes: 5 });
    tracker.apply({ type: 'file-start', job: 'a', path: 'x', size: 5 });
    tracker.apply({ type: 'file-done', job: 'a', path: 'x', action: 'unchanged' });
    expect(tracker.snapshot()).toMatchObject({ filesDone: 1, bytesDone: 5, filesTotal: 1, bytesTotal: 5 });
  });
});

describe('planned totals', () => {
  it('come from a scan beside the run and drop a skipped job', () => {
    const tracker = new ProgressTracker(0, () => 0);
    tracker.apply({ type: 'job-start', job: 'a' });
    expect(tracker.snapshot().filesTotal).toBeUndefined();
    tracker.setPlannedTotals(
      new Map([
        ['a', { files: 3, bytes: 30 }],
        ['b', { files: 2, bytes: 20 }],
      ]),
    );
    expect(tracker.snapshot()).toMatchObject({ filesTotal: 5, bytesTotal: 50 });
    tracker.apply({
      type: 'job-done',
      job: 'b',
      result: {
        job: 'b',
        status: 'skipped',
        counters: emptyCounters(),
        durationMs: 0,
        retries: 0,
        reason: 'dependency "a" failed',
        failures: [],
      },
    });
    expect(tracker.snapshot()).toMatchObject({ filesTotal: 3, bytesTotal: 30 });
  });
});
