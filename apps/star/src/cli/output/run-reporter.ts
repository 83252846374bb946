import type { JobSize } from '@orbit/engine/planner/index';
import type { ProgressEvent } from '@orbit/engine/runner/index';
import type { OutputStream } from '../cli-context.ts';
import { fileLine, jobDoneLine, jobStartLine } from './job-lines.ts';
import { renderProgressLine } from './progress-line.ts';
import { ProgressTracker } from './progress-tracker.ts';

const REDRAW_INTERVAL_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

export interface RunReporterOptions {
  /** Where job start/end lines go (stdout normally, stderr under `--json`); undefined prints none. */
  readonly lines: OutputStream | undefined;
  /** The terminal for the live progress line; undefined when stderr is not a TTY. */
  readonly live: OutputStream | undefined;
  readonly verbose: boolean;
  readonly now: () => number;
  /** Job lines then say what would be written. */
  readonly dryRun?: boolean;
}

/**
 * Turns the runner's progress events into output: a redrawn status line on a terminal (at most
 * ~10 times a second, cleared at the end) and plain lines otherwise.
 */
export class RunReporter {
  private readonly tracker: ProgressTracker;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: RunReporterOptions) {
    this.tracker = new ProgressTracker(options.now(), options.now);
    // Keeps rate and ETA moving while one large file produces few events.
    if (options.live !== undefined) this.timer = setInterval(() => this.draw(), 500);
  }

  readonly onProgress = (event: ProgressEvent): void => {
    this.tracker.apply(event);
    if (event.type === 'job-start') this.printLine(jobStartLine(event));
    else if (event.type === 'job-done') this.printLine(jobDoneLine(event.result, this.options.dryRun));
    else if (this.options.verbose || event.type === 'file-failed') {
      const line = fileLine(event);
      if (line !== undefined) this.printLine(line);
    }
    if (this.options.now() - this.lastDraw >= REDRAW_INTERVAL_MS) this.draw();
  };

  setPlannedTotals(sizes: ReadonlyMap<string, JobSize>): void {
    this.tracker.setPlannedTotals(sizes);
  }

  /** Clears the live line; call before printing the summary. */
  finish(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private printLine(line: string): void {
    if (this.options.lines === undefined) return;
    this.clear();
    this.options.lines.write(`${line}\n`);
  }

  private clear(): void {
    if (this.drawn) this.options.live?.write(CLEAR_LINE);
    this.drawn = false;
  }

  private draw(): void {
    const live = this.options.live;
    if (live === undefined) return;
    this.lastDraw = this.options.now();
    // Some terminals (and `script`) report 0 columns; assume the classic 80 then.
    const width = Math.max(20, (live.columns || 80) - 1);
    live.write(`${CLEAR_LINE}${renderProgressLine(this.tracker.snapshot(), width)}`);
    this.drawn = true;
  }
}
