'use client';

import { useQuery } from '@tanstack/react-query';
import { FileUp, Plus, Search, Workflow } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Select } from '../../components/ui/select.tsx';
import { TableCell } from '../../components/ui/table.tsx';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { formatRelative } from '../shell/lib/format.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryTable } from '../shell/query-table.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useCan } from '../shell/use-can.ts';
import { JobLocation } from './job-location.tsx';
import { JOB_MODES, LAST_RUN_FILTERS } from './lib/job-options.ts';

export function JobsPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const router = useRouter();
  const canCreate = useCan('job.create');
  const canImport = useCan('job.import');
  const [status, setStatus] = useState<(typeof LAST_RUN_FILTERS)[number] | undefined>();
  const [mode, setMode] = useState<(typeof JOB_MODES)[number] | undefined>();
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search.trim());
  const filtered = status !== undefined || mode !== undefined || deferredSearch !== '';
  const jobs = useQuery(
    trpc.job.list.queryOptions({
      teamSlug: team.slug,
      ...(status ? { status } : {}),
      ...(mode ? { mode } : {}),
      ...(deferredSearch ? { search: deferredSearch } : {}),
    }),
  );

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Transfers between Stars, with their dependencies and schedules."
        actions={
          <>
            {canImport ? (
              <Button variant="outline" asChild>
                <Link href={`/t/${team.slug}/jobs/import`}>
                  <FileUp />
                  Import manifest
                </Link>
              </Button>
            ) : null}
            {canCreate ? (
              <Button asChild>
                <Link href={`/t/${team.slug}/jobs/new`}>
                  <Plus />
                  New job
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative w-64">
          <Search className="absolute top-2.5 left-2.5 size-4 text-muted-foreground" />
          <Input
            className="pl-8"
            placeholder="Search by name or path"
            aria-label="Search jobs"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="w-44">
          <Select
            aria-label="Filter by last run status"
            value={status ?? ''}
            onChange={(event) => setStatus(LAST_RUN_FILTERS.find((value) => value === event.target.value))}
          >
            <option value="">Any status</option>
            <ChoiceOptions choices={LAST_RUN_FILTERS} />
          </Select>
        </div>
        <div className="w-40">
          <Select
            aria-label="Filter by mode"
            value={mode ?? ''}
            onChange={(event) => setMode(JOB_MODES.find((value) => value === event.target.value))}
          >
            <option value="">Any mode</option>
            <ChoiceOptions choices={JOB_MODES} />
          </Select>
        </div>
      </div>
      <QueryTable
        query={jobs}
        columns={[
          { label: 'Name' },
          { label: 'Source → destination' },
          { label: 'Mode' },
          { label: 'Depends on' },
          { label: 'Last run' },
          { label: 'Updated' },
        ]}
        rowKey={(job) => job.id}
        rowProps={(job) => ({
          className: 'cursor-pointer',
          onClick: () => router.push(`/t/${team.slug}/jobs/${job.id}`),
        })}
        empty={
          <EmptyState
            icon={Workflow}
            title={filtered ? 'No job matches these filters' : 'No jobs yet'}
            description={
              filtered
                ? 'Clear a filter to see more.'
                : canCreate
                  ? 'A job moves a folder from one Star to another. Create one step by step or import an orbit.manifest.toml.'
                  : 'A job moves a folder from one Star to another. Jobs appear here once an operator creates them.'
            }
            action={
              !filtered && canCreate ? (
                <Button asChild>
                  <Link href={`/t/${team.slug}/jobs/new`}>
                    <Plus />
                    New job
                  </Link>
                </Button>
              ) : undefined
            }
          />
        }
      >
        {(job) => (
          <>
            <TableCell className="font-medium">
              <Link href={`/t/${team.slug}/jobs/${job.id}`} onClick={(event) => event.stopPropagation()}>
                {job.name}
              </Link>
            </TableCell>
            <TableCell>
              <div className="grid gap-0.5">
                <JobLocation star={job.sourceStar?.name} path={job.sourcePath} />
                <JobLocation star={job.destinationStar?.name} path={job.destinationPath} />
              </div>
            </TableCell>
            <TableCell>{job.mode}</TableCell>
            <TableCell className="text-muted-foreground">
              {job.dependsOn.length === 0
                ? '—'
                : job.dependsOn.map((dependency) => dependency.name).join(', ')}
            </TableCell>
            <TableCell>
              {job.lastRun ? (
                <StatusBadge status={job.lastRun.state} />
              ) : (
                <span className="text-muted-foreground">never</span>
              )}
            </TableCell>
            <TableCell className="text-muted-foreground">{formatRelative(job.updatedAt)}</TableCell>
          </>
        )}
      </QueryTable>
    </>
  );
}
