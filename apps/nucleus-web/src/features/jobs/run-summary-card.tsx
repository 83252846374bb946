'use client';

import { Card, CardContent } from '../../components/ui/card.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { formatBytes, formatDuration, percent } from '../shell/lib/format.ts';
import { StatusBadge } from '../shell/status-badge.tsx';
import type { RouterOutputs } from '../shell/trpc.ts';
import { queuedRunNote } from './lib/run-state.ts';
import { runSummaryLines } from './lib/run-summary.ts';
import { RunTimeline } from './run-timeline.tsx';

type Run = RouterOutputs['run']['get'];

/** The run's state, timeline and progress, and what it did in words (`runSummaryLines`). */
export function RunSummaryCard({ run }: { run: Run }) {
  const lines = runSummaryLines(run);
  return (
    <Card>
      <CardContent className="grid gap-5">
        <div className="flex flex-wrap items-center gap-3">
          <StatusBadge status={run.state} />
          <span className="text-sm text-muted-foreground">attempt {run.attempt}</span>
          {run.startedAt && run.finishedAt ? (
            <span className="text-sm text-muted-foreground">
              took {formatDuration(new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime())}
            </span>
          ) : null}
        </div>
        <RunTimeline run={run} />
        {run.state === 'queued' ? (
          <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground">
            {queuedRunNote(run.stateReason, run.star)}
          </p>
        ) : (
          <div className="grid gap-2">
            <Progress value={percent(run.progress.bytesDone, run.progress.bytesTotal)} label="Run progress" />
            <p className="text-sm text-muted-foreground tabular-nums">
              {formatBytes(run.progress.bytesDone)} of {formatBytes(run.progress.bytesTotal)} ·{' '}
              {run.progress.filesDone} of {run.progress.filesTotal} files ·{' '}
              {formatBytes(run.progress.bytesWritten)} written ·{' '}
              {run.progress.chunksReused.toLocaleString('en')} chunks reused
            </p>
            {lines.length > 0 || run.archive ? (
              <ul aria-label="What the run did" className="grid gap-1 text-sm text-muted-foreground">
                {lines.map((line) => (
                  <li key={line.key} data-summary={line.key}>
                    {line.text}
                  </li>
                ))}
                {run.archive ? (
                  <li data-summary="archive">
                    Snapshot <span className="font-mono">{run.archive.snapshotId}</span>:{' '}
                    {run.archive.files.toLocaleString('en')} files in{' '}
                    {run.archive.chunks.toLocaleString('en')} stored chunks
                  </li>
                ) : null}
              </ul>
            ) : null}
          </div>
        )}
        {run.error ? (
          <p
            role="alert"
            className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
          >
            {run.error}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
