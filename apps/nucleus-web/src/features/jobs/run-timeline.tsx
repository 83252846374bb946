import { cn } from '../../components/ui/cn.ts';
import { formatDateTime } from '../shell/lib/format.ts';

interface TimelineRun {
  readonly state: string;
  readonly queuedAt: string;
  readonly planningAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** queued → planning → running → final state, each with the time it was reached. */
export function RunTimeline({ run }: { run: TimelineRun }) {
  const final = ['succeeded', 'failed', 'cancelled'].includes(run.state) ? run.state : 'finished';
  const steps = [
    { label: 'queued', at: run.queuedAt },
    { label: 'planning', at: run.planningAt },
    { label: 'running', at: run.startedAt },
    { label: final, at: run.finishedAt },
  ];
  return (
    <ol className="grid grid-cols-4 gap-2" aria-label="Run timeline">
      {steps.map((step) => (
        <li key={step.label} className="grid gap-1">
          <div
            className={cn(
              'h-1.5 rounded-full',
              step.at
                ? step.label === 'failed'
                  ? 'bg-destructive'
                  : step.label === 'cancelled'
                    ? 'bg-muted-foreground'
                    : 'bg-success'
                : 'bg-muted',
            )}
          />
          <span className={cn('text-sm', step.at ? 'font-medium' : 'text-muted-foreground')}>
            {step.label}
          </span>
          <span className="text-xs text-muted-foreground">{step.at ? formatDateTime(step.at) : '—'}</span>
        </li>
      ))}
    </ol>
  );
}
