'use client';

import { useQuery } from '@tanstack/react-query';
import { CircleCheck, FileWarning } from 'lucide-react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { QueryTable } from '../shell/query-table.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';

/** The card lists the oldest failures; every failed file is in the Files card under "Failed". */
const SHOWN = 100;

export function RunFailuresCard({ runId, poll }: { runId: string; poll: number | false }) {
  const team = useTeam();
  const trpc = useTRPC();
  const failures = useQuery({
    ...trpc.run.failures.queryOptions({ teamSlug: team.slug, runId, limit: SHOWN }),
    refetchInterval: poll,
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Failures</CardTitle>
        <CardDescription>
          Files that could not be moved after retries, with their cause.
          {failures.data?.length === SHOWN
            ? ` The first ${SHOWN} are shown; the Files list filtered by “Failed” has every failed file.`
            : ''}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <QueryTable
          query={failures}
          columns={[{ label: 'Path' }, { label: 'Cause' }, { label: 'Attempts' }, { label: 'When' }]}
          rowKey={(failure) => failure.id}
          empty={
            <EmptyState
              icon={CircleCheck}
              title="No failures"
              description="Every file reported so far moved cleanly."
            />
          }
        >
          {(failure) => (
            <>
              <TableCell className="max-w-xs truncate font-mono text-xs">
                <FileWarning className="mr-1 inline size-3.5 text-destructive" />
                {failure.path}
              </TableCell>
              <TableCell className="text-sm text-destructive">{failure.error}</TableCell>
              <TableCell className="tabular-nums">{failure.attempts}</TableCell>
              <TableCell className="text-muted-foreground">{formatDateTime(failure.createdAt)}</TableCell>
            </>
          )}
        </QueryTable>
      </CardContent>
    </Card>
  );
}
