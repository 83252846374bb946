'use client';

import { useQuery } from '@tanstack/react-query';
import type * as React from 'react';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import { errorMessage } from '../../shell/lib/error-message.ts';
import { useTeam } from '../../shell/team-context.tsx';
import { useTRPC } from '../../shell/trpc.ts';
import { JobLocation } from '../job-location.tsx';
import { describeCron } from '../lib/cron-description.ts';
import { globLines, type JobDraft } from '../lib/job-draft.ts';
import { withDraftJob } from '../lib/starmap-flow.ts';
import { Starmap } from '../starmap.tsx';

const DRAFT_ID = 'draft-job';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 py-2 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function ReviewStep({
  draft,
  starNames,
  editingId,
}: {
  draft: JobDraft;
  starNames: ReadonlyMap<string, string>;
  /** When editing, the saved job is replaced on the map by its edited version. */
  editingId?: string;
}) {
  const team = useTeam();
  const trpc = useTRPC();
  const starmap = useQuery(trpc.job.starmap.queryOptions({ teamSlug: team.slug }));
  const jobNames = new Map((starmap.data?.nodes ?? []).map((node) => [node.id, node.label]));
  const schedule = draft.schedule.trim();
  const cron = schedule === '' ? null : describeCron(schedule);

  const base = starmap.data
    ? {
        nodes: starmap.data.nodes.filter((node) => node.id !== editingId),
        edges: starmap.data.edges.filter((edge) => edge.from !== editingId && edge.to !== editingId),
      }
    : undefined;
  const graph = base
    ? withDraftJob(base, {
        id: editingId ?? DRAFT_ID,
        label: draft.name,
        mode: draft.mode,
        dependsOn: draft.dependsOn,
      })
    : undefined;

  return (
    <div className="grid gap-6">
      <dl className="divide-y rounded-md border px-4">
        <Row label="Name">{draft.name}</Row>
        <Row label="Source">
          <JobLocation star={starNames.get(draft.sourceStarId) ?? null} path={draft.sourcePath} />
        </Row>
        <Row label="Destination">
          <JobLocation star={starNames.get(draft.destinationStarId) ?? null} path={draft.destinationPath} />
        </Row>
        <Row label="Include">{globLines(draft.include).join(', ') || 'everything'}</Row>
        <Row label="Exclude">{globLines(draft.exclude).join(', ') || 'nothing'}</Row>
        <Row label="Mode">
          {draft.mode}
          {draft.mode === 'mirror' && draft.deleteExtraneous ? ' (deletes extraneous files)' : ''}
        </Row>
        <Row label="Compression · checksum">
          {draft.compression} · {draft.checksum} · {draft.concurrency} files in flight
        </Row>
        <Row label="Depends on">
          {draft.dependsOn.length === 0
            ? 'nothing'
            : draft.dependsOn.map((id) => jobNames.get(id) ?? id).join(', ')}
        </Row>
        <Row label="Schedule">
          {cron === null ? 'on demand' : cron.ok ? `${cron.text} (${schedule})` : schedule}
        </Row>
      </dl>
      <div className="grid gap-2">
        <h3 className="text-sm font-medium">Plan: the team's Starmap with this job</h3>
        {starmap.isPending ? <Skeleton className="h-80 w-full" /> : null}
        {starmap.isError ? (
          <ErrorState message={errorMessage(starmap.error)} onRetry={() => void starmap.refetch()} />
        ) : null}
        {graph ? <Starmap graph={graph} teamSlug={team.slug} draftId={editingId ?? DRAFT_ID} /> : null}
      </div>
    </div>
  );
}
