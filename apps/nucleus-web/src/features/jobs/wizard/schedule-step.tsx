import { Input } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { describeCron } from '../lib/cron-description.ts';
import type { JobDraft } from '../lib/job-draft.ts';

const EXAMPLES = ['0 2 * * *', '*/30 * * * *', '0 22 * * 1-5', '0 3 1 * *'];

export function ScheduleStep({
  draft,
  onChange,
}: {
  draft: JobDraft;
  onChange: (patch: Partial<JobDraft>) => void;
}) {
  const text = draft.schedule.trim();
  const described = text === '' ? null : describeCron(text);
  return (
    <div className="grid gap-3">
      <Label htmlFor="schedule">Schedule (cron: minute hour day month weekday, UTC)</Label>
      <Input
        id="schedule"
        className="font-mono"
        placeholder="leave empty to run only on demand"
        value={draft.schedule}
        aria-invalid={described?.ok === false}
        onChange={(event) => onChange({ schedule: event.target.value })}
      />
      <p className="text-sm" aria-live="polite">
        {described === null ? (
          <span className="text-muted-foreground">Runs only when someone presses “Run now”.</span>
        ) : described.ok ? (
          <span>{described.text} (UTC)</span>
        ) : (
          <span className="text-destructive">{described.error}</span>
        )}
      </p>
      <div className="flex flex-wrap gap-2">
        {EXAMPLES.map((example) => (
          <button
            key={example}
            type="button"
            className="rounded-md border px-2 py-1 font-mono text-xs hover:bg-accent"
            onClick={() => onChange({ schedule: example })}
          >
            {example}
          </button>
        ))}
      </div>
    </div>
  );
}
