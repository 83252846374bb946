'use client';

import { useQuery } from '@tanstack/react-query';
import { useDeferredValue } from 'react';
import { Textarea } from '../../../components/ui/textarea.tsx';
import { Field } from '../../shell/field.tsx';
import { errorMessage } from '../../shell/lib/error-message.ts';
import { formatBytes } from '../../shell/lib/format.ts';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';
import { globLines, type JobDraft } from '../lib/job-draft.ts';

function PreviewCount({ draft }: { draft: JobDraft }) {
  const team = useTeam();
  const trpc = useTRPC();
  const include = useDeferredValue(globLines(draft.include).join('\n'));
  const exclude = useDeferredValue(globLines(draft.exclude).join('\n'));
  const preview = useQuery({
    ...trpc.job.previewFilter.queryOptions({
      teamSlug: team.slug,
      starId: draft.sourceStarId,
      path: draft.sourcePath,
      include: globLines(include),
      exclude: globLines(exclude),
    }),
    enabled: draft.sourceStarId !== '',
    retry: false,
  });
  if (draft.sourceStarId === '') {
    return <>The preview counts matching files on the source Star; this job has no Star yet.</>;
  }
  if (preview.isPending) return <>Counting matching files…</>;
  if (preview.isError) return <>Preview unavailable: {errorMessage(preview.error)}</>;
  return (
    <span className="font-medium text-foreground">
      {preview.data.files.toLocaleString('en')} files match ({formatBytes(preview.data.bytes)})
    </span>
  );
}

export function FilterStep({
  draft,
  onChange,
}: {
  draft: JobDraft;
  onChange: (patch: Partial<JobDraft>) => void;
}) {
  return (
    <div className="grid gap-4">
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="include" label="Include (one glob per line)">
          <Textarea
            id="include"
            className="font-mono"
            placeholder={'**/*.jpg\nraw/**'}
            value={draft.include}
            onChange={(event) => onChange({ include: event.target.value })}
          />
          <p className="text-xs text-muted-foreground">Empty means every file under the source.</p>
        </Field>
        <Field id="exclude" label="Exclude (one glob per line)">
          <Textarea
            id="exclude"
            className="font-mono"
            placeholder={'**/.cache/**\n*.tmp'}
            value={draft.exclude}
            onChange={(event) => onChange({ exclude: event.target.value })}
          />
          <p className="text-xs text-muted-foreground">Exclusions win over inclusions.</p>
        </Field>
      </div>
      <p className="rounded-md bg-muted/60 p-3 text-sm text-muted-foreground" aria-live="polite">
        <PreviewCount draft={draft} />
      </p>
    </div>
  );
}
