import type { ProgressEvent } from '@orbit/engine';

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
  private filesTotal = 0;
  private bytesFinished = 0;
  private bytesTotal = 0;
  private bytesWritten = 0;
  private totalsKnown = true;
  private readonly inFlight = new Map<string, FileInFlight>();
  private currentFile: string | undefined;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number,
  ) {}

  apply(event: ProgressEvent): void {
    switch (event.type) {
      case 'job-start':
        if (event.totalFiles === undefined || event.totalBytes === undefined) this.totalsKnown = false;
        this.filesTotal += event.totalFiles ?? 0;
        this.bytesTotal += event.totalBytes ?? 0;
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
      case 'job-done':
        for (const [key, file] of this.inFlight) if (file.job === event.job) this.inFlight.delete(key);
        break;
    }
  }

  snapshot(): ProgressSnapshot {
    let inFlightBytes = 0;
    for (const file of this.inFlight.values()) inFlightBytes += Math.min(file.read, file.size);
    return {
      filesDone: this.filesDone,
      filesTotal: this.totalsKnown ? this.filesTotal : undefined,
      bytesDone: this.bytesFinished + inFlightBytes,
      bytesTotal: this.totalsKnown ? this.bytesTotal : undefined,
      bytesWritten: this.bytesWritten,
      currentFile: this.currentFile,
      elapsedMs: this.now() - this.startedAt,
    };
  }
}
