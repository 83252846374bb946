'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, FileUp, LoaderCircle, ScanSearch } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { type ChangeEvent, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { ErrorState } from '../../components/ui/error-state.tsx';
import { FormError } from '../shell/form-error.tsx';
import { errorMessage } from '../shell/lib/error-message.ts';
import { notifySuccess } from '../shell/notify.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { formatProblem, problemsByLine } from './lib/manifest-problems.ts';
import { ManifestEditor } from './manifest-editor.tsx';
import { Starmap } from './starmap.tsx';

const PLACEHOLDER_HINT = 'Paste an orbit.manifest.toml here, or upload one.';

export function ImportManifestPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [toml, setToml] = useState('');
  const [checked, setChecked] = useState<string | null>(null);
  const preview = useMutation(trpc.job.previewManifest.mutationOptions());
  const importJobs = useMutation(
    trpc.job.importManifest.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries(trpc.job.pathFilter());
        notifySuccess(`Imported ${created.length} job${created.length === 1 ? '' : 's'}`);
        router.push(`/t/${team.slug}/jobs`);
      },
    }),
  );

  function check(text: string): void {
    setChecked(text);
    preview.mutate({ teamSlug: team.slug, toml: text });
  }

  async function upload(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setToml(text);
    check(text);
  }

  const stale = checked !== toml;
  const result = preview.data && !stale ? preview.data : undefined;
  const problems = result && !result.ok ? result.problems : [];
  const { sorted } = problemsByLine(problems, toml.split('\n').length);

  return (
    <>
      <PageHeader
        title="Import manifest"
        breadcrumb={[{ label: 'Jobs', href: `/t/${team.slug}/jobs` }, { label: 'Import manifest' }]}
        description="Create jobs from an orbit.manifest.toml. It is checked in full before anything is saved."
        actions={
          <Button variant="outline" asChild>
            <label className="cursor-pointer">
              <FileUp />
              Upload file
              <input
                type="file"
                accept=".toml,text/plain"
                className="sr-only"
                onChange={(event) => void upload(event)}
              />
            </label>
          </Button>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid content-start gap-3">
          <ManifestEditor value={toml} onChange={setToml} problems={problems} />
          <div className="flex items-center justify-between gap-3">
            <p className="text-xs text-muted-foreground">
              {toml === '' ? PLACEHOLDER_HINT : `${toml.split('\n').length} lines`}
            </p>
            <Button
              variant="outline"
              disabled={toml.trim() === '' || preview.isPending}
              onClick={() => check(toml)}
            >
              {preview.isPending ? <LoaderCircle className="animate-spin" /> : <ScanSearch />}
              Check manifest
            </Button>
          </div>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Preview</CardTitle>
            <CardDescription>
              {stale && checked !== null
                ? 'The text changed since the last check.'
                : 'What the import will create.'}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            {preview.isError ? <ErrorState message={errorMessage(preview.error)} /> : null}
            {!result && !preview.isError ? (
              <p className="text-sm text-muted-foreground">Press “Check manifest” to validate it.</p>
            ) : null}
            {result && !result.ok ? (
              <div className="grid gap-2" role="alert">
                <p className="text-sm font-medium text-destructive">
                  {sorted.length} problem{sorted.length === 1 ? '' : 's'}: fix{' '}
                  {sorted.length === 1 ? 'it' : 'them'} and check again.
                </p>
                <ul className="grid gap-1.5" data-testid="manifest-problems">
                  {sorted.map((problem) => (
                    <li
                      key={formatProblem(problem)}
                      className="rounded-md bg-destructive/5 p-2 font-mono text-xs text-destructive"
                    >
                      {formatProblem(problem)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {result?.ok ? (
              <div className="grid gap-3">
                <p className="flex items-center gap-2 text-sm text-success">
                  <CircleCheck className="size-4" />
                  Valid: {result.jobs.length} job{result.jobs.length === 1 ? '' : 's'}
                </p>
                <ul className="grid gap-2">
                  {result.jobs.map((job) => (
                    <li key={job.name} className="grid gap-1 rounded-md border p-3 text-sm">
                      <div className="flex items-center justify-between">
                        <span className="font-medium">{job.name}</span>
                        <span className="text-xs text-muted-foreground">{job.mode}</span>
                      </div>
                      <span className="font-mono text-xs">{job.source}</span>
                      <span className="font-mono text-xs">→ {job.destination}</span>
                      {job.exists ? (
                        <span className="text-xs text-destructive">
                          A job with this name already exists in this team.
                        </span>
                      ) : null}
                      {job.dependsOn.length > 0 ? (
                        <span className="text-xs text-muted-foreground">
                          after {job.dependsOn.join(', ')}
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                <Starmap graph={result.starmap} teamSlug={team.slug} className="h-56" interactive={false} />
                {importJobs.isError ? <FormError error={importJobs.error} /> : null}
                <Button
                  disabled={importJobs.isPending}
                  onClick={() => importJobs.mutate({ teamSlug: team.slug, toml })}
                >
                  Import {result.jobs.length} job{result.jobs.length === 1 ? '' : 's'}
                </Button>
              </div>
            ) : null}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
