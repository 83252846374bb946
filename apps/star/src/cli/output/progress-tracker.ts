import type { JobSize } from '@orbit/engine/planner/index';
import type { ProgressEvent } from '@orbit/engine/runner/index';

/** Totals across every running job, folded from the runner's progress events. */
export interface ProgressSnapshot {
  readonly filesDone: number;
  /** Known once every started job announced its totals. */
  readonly filesTotal: number | undefined;
  readonly bytesDone: number;
  readonly bytesTotal: number | undefined;
  readonly bytesWritten: number;
  readonly currentFile: string | undefined;
  readonly elapsedMs: number;
}

interface FileInFlight {
  readonly job: string;
  readonly size: number;
  read: number;
}

export class ProgressTracker {
  private filesDone = 0;
  private bytesFinished = 0;
  private bytesWritten = 0;
  /** Per job: its totals from job-start or a pre-scan; undefined while unknown. */
  private readonly jobTotals = new Map<string, JobSize | undefined>();
  private readonly inFlight = new Map<string, FileInFlight>();
  private currentFile: string | undefined;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  apply(event: ProgressEvent): void {
    switch (event.type) {
      case 'job-start':
        if (event.totalFiles !== undefined && event.totalBytes !== undefined) {
          this.jobTotals.set(event.job, { files: event.totalFiles, bytes: event.totalBytes });
        } else if (!this.jobTotals.has(event.job)) this.jobTotals.set(event.job, undefined);
        break;
      case 'file-start':
        this.inFlight.set(`${event.job}\0${event.path}`, { job: event.job, size: event.size, read: 0 });
        this.currentFile = event.path;
        break;
      case 'bytes': {
        const file = this.inFlight.get(`${event.job}\0${event.path}`);
        if (file !== undefined) file.read += event.read;
        this.bytesWritten += event.written;
        this.currentFile = event.path;
        break;
      }
      case 'file-done':
      case 'file-failed': {
        const key = `${event.job}\0${event.path}`;
        const file = this.inFlight.get(key);
        this.inFlight.delete(key);
        this.filesDone++;
        // A finished file counts in full whether its bytes were read, reused or skipped as unchanged.
        this.bytesFinished += file?.size ?? 0;
        break;
      }
      case 'job-done': {
        for (const [key, file] of this.inFlight) if (file.job === event.job) this.inFlight.delete(key);
        // A job that was not run (skipped, finished by the interrupted run, refused) will never do
        // the work its planned totals promised.
        const { status, counters } = event.result;
        const notRun =
          status === 'skipped' ||
          status === 'resumed-complete' ||
          (status === 'failed' && counters.filesScanned === 0);
        if (notRun) this.jobTotals.delete(event.job);
        break;
      }
    }
  }

  /** Totals from a scan made beside the run (the runner streams, so it cannot announce them). */
  setPlannedTotals(sizes: ReadonlyMap<string, JobSize>): void {
    for (const [job, size] of sizes) this.jobTotals.set(job, size);
  }

  snapshot(): ProgressSnapshot {
    let inFlightBytes = 0;
    for (const file of this.inFlight.values()) inFlightBytes += Math.min(file.read, file.size);
    const totals = [...this.jobTotals.values()];
    const known = totals.length > 0 && totals.every((size) => size !== undefined);
    return {
      filesDone: this.filesDone,
      filesTotal: known ? totals.reduce((sum, size) => sum + (size?.files ?? 0), 0) : undefined,
      bytesDone: this.bytesFinished + inFlightBytes,
      bytesTotal: known ? totals.reduce((sum, size) => sum + (size?.bytes ?? 0), 0) : undefined,
      bytesWritten: this.bytesWritten,
      currentFile: this.currentFile,
      elapsedMs: this.now() - this.startedAt,
    };
  }
}
