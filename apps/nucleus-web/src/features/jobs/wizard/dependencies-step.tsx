'use client';

import { useQuery } from '@tanstack/react-query';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { ListSkeleton } from '../../shell/query-view.tsx';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';
import type { JobDraft } from '../lib/job-draft.ts';

export function DependenciesStep({
  draft,
  excludeId,
  onChange,
}: {
  draft: JobDraft;
  /** The job being edited, which cannot depend on itself. */
  excludeId?: string;
  onChange: (patch: Partial<JobDraft>) => void;
}) {
  const team = useTeam();
  const trpc = useTRPC();
  const jobs = useQuery(trpc.job.list.queryOptions({ teamSlug: team.slug }));
  if (jobs.isPending) return <ListSkeleton rows={3} />;
  const candidates = (jobs.data ?? []).filter((job) => job.id !== excludeId);
  if (candidates.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        There are no other jobs to wait for; this job runs on its own.
      </p>
    );
  }
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-2 text-sm text-muted-foreground">
        This job starts only after every job ticked here has succeeded.
      </legend>
      {candidates.map((job) => {
        const checked = draft.dependsOn.includes(job.id);
        return (
          <div key={job.id} className="flex items-center gap-3 rounded-md border p-3 text-sm hover:bg-accent">
            <Checkbox
              id={`depends-${job.id}`}
              checked={checked}
              onCheckedChange={(value) =>
                onChange({
                  dependsOn:
                    value === true
                      ? [...draft.dependsOn, job.id]
                      : draft.dependsOn.filter((id) => id !== job.id),
                })
              }
            />
            <Label htmlFor={`depends-${job.id}`} className="flex-1 cursor-pointer">
              {job.name}
              <span className="font-normal text-muted-foreground">{job.mode}</span>
            </Label>
          </div>
        );
      })}
    </fieldset>
  );
}
