'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowRightLeft, CircleAlert, HardDriveDownload, Server } from 'lucide-react';
import Link from 'next/link';
import type * as React from 'react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { capitalise } from '../jobs/lib/run-state.ts';
import { formatBytes, formatRelative, percent } from '../shell/lib/format.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { fallbackInterval, useLiveUpdates } from '../shell/use-live-updates.ts';

function Stat({
  label,
  value,
  hint,
  icon: Icon,
}: {
  label: string;
  value: React.ReactNode;
  hint: React.ReactNode;
  icon: typeof Server;
}) {
  return (
    <Card className="gap-2">
      <CardHeader className="flex-row items-center justify-between">
        <CardDescription>{label}</CardDescription>
        <Icon className="size-4 text-muted-foreground" />
      </CardHeader>
      <CardContent className="grid gap-1">
        <div className="text-2xl font-semibold tabular-nums">{value}</div>
        <div className="text-xs text-muted-foreground">{hint}</div>
      </CardContent>
    </Card>
  );
}

export function DashboardPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const live = useLiveUpdates();
  const summary = useQuery({
    ...trpc.dashboard.summary.queryOptions({ teamSlug: team.slug }),
    refetchInterval: fallbackInterval(live),
  });

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={live ? 'Live: updates arrive as Stars report.' : 'Refreshing every 10 seconds.'}
      />
      <QueryView
        query={summary}
        loading={
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {['stars-online', 'stars-offline', 'runs', 'bytes'].map((key) => (
              <Skeleton key={key} className="h-28" />
            ))}
          </div>
        }
      >
        {(data) => (
          <>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <Stat
                label="Stars online"
                value={data.stars.online}
                hint={`${data.stars.offline} offline`}
                icon={Server}
              />
              <Stat
                label="Runs in progress"
                value={data.runsInProgress.length}
                hint="queued, planning or running"
                icon={ArrowRightLeft}
              />
              <Stat
                label="Recent failures"
                value={data.recentFailures.length}
                hint="failed runs, newest first"
                icon={CircleAlert}
              />
              <Stat
                label="Moved today"
                value={formatBytes(data.bytesMovedToday)}
                hint="bytes written since 00:00 UTC"
                icon={HardDriveDownload}
              />
            </div>
            <div className="grid gap-4 lg:grid-cols-2">
              <Card>
                <CardHeader>
                  <CardTitle>Runs in progress</CardTitle>
                  <CardDescription>Progress as reported by the Stars.</CardDescription>
                </CardHeader>
                <CardContent className="grid gap-4">
                  {data.runsInProgress.length === 0 ? (
                    <p className="text-sm text-muted-foreground">Nothing is running right now.</p>
                  ) : (
                    data.runsInProgress.map((run) => (
                      <Link
                        key={run.id}
                        href={`/t/${team.slug}/runs/${run.id}`}
                        className="grid gap-2 rounded-md p-2 hover:bg-accent"
                      >
                        <div className="flex items-center justify-between gap-2 text-sm">
                          <span className="font-medium">{run.job.name}</span>
                          <StatusBadge status={run.state} />
                        </div>
                        {run.state === 'queued' ? (
                          <p className="text-xs text-muted-foreground">
                            {capitalise(run.stateReason ?? 'waiting for a Star')}
                          </p>
                        ) : (
                          <>
                            <Progress
                              value={percent(run.progress.bytesDone, run.progress.bytesTotal)}
                              label={`${run.job.name} progress`}
                            />
                            <p className="text-xs text-muted-foreground tabular-nums">
                              {formatBytes(run.progress.bytesDone)} of {formatBytes(run.progress.bytesTotal)}{' '}
                              · {run.progress.filesDone}/{run.progress.filesTotal} files
                            </p>
                          </>
                        )}
                      </Link>
                    ))
                  )}
                </CardContent>
              </Card>
              <Card>
                <CardHeader>
                  <CardTitle>Recent failures</CardTitle>
                  <CardDescription>Open a run to see each file's cause.</CardDescription>
                </CardHeader>
                <CardContent className="grid gap-2">
                  {data.recentFailures.length === 0 ? (
                    <p className="text-sm text-muted-foreground">No failed runs.</p>
                  ) : (
                    data.recentFailures.map((run) => (
                      <Link
                        key={run.id}
                        href={`/t/${team.slug}/runs/${run.id}`}
                        className="grid gap-1 rounded-md p-2 text-sm hover:bg-accent"
                      >
                        <div className="flex items-center justify-between gap-2">
                          <span className="font-medium">{run.job.name}</span>
                          <span className="text-xs text-muted-foreground">
                            {formatRelative(run.finishedAt)}
                          </span>
                        </div>
                        <p className="truncate text-xs text-destructive">{run.error ?? 'failed'}</p>
                      </Link>
                    ))
                  )}
                </CardContent>
              </Card>
            </div>
          </>
        )}
      </QueryView>
    </>
  );
}
