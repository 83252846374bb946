'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, SearchX } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Label } from '../../components/ui/label.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { Tabs, TabsList, TabsTrigger } from '../../components/ui/tabs.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { StatusBadge } from '../shell/status-badge.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { useDebouncedValue } from '../shell/use-debounced-value.ts';
import { ByteProgress } from './byte-progress.tsx';
import {
  cursorOf,
  type FileFilter,
  filterChoices,
  nextPage,
  type PageTrail,
  pageRange,
  previousPage,
} from './lib/run-file-pages.ts';

const PAGE_SIZE = 50;

/**
 * A run's files a page at a time, by status and by path, with how many files have each status: the
 * database counts and pages them, so a run of 100 000 files reads like one of ten.
 */
export function RunFilesCard({ runId, poll }: { runId: string; poll: number | false }) {
  const team = useTeam();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<FileFilter>('all');
  const [pathText, setPathText] = useState('');
  const path = useDebouncedValue(pathText.trim());
  // The pages walked belong to one filter: another filter starts again at its first page.
  const scope = `${filter}\n${path}`;
  const [paging, setPaging] = useState<{ scope: string; trail: PageTrail }>({ scope, trail: [] });
  const trail = paging.scope === scope ? paging.trail : [];
  const covered = { teamSlug: team.slug, runId, ...(path ? { path } : {}) };
  const cursor = cursorOf(trail);
  const counts = useQuery({
    ...trpc.run.fileCounts.queryOptions(covered),
    refetchInterval: poll,
    placeholderData: keepPreviousData,
  });
  const files = useQuery({
    ...trpc.run.files.queryOptions({
      ...covered,
      ...(filter === 'all' ? {} : { status: filter }),
      ...(cursor ? { cursor } : {}),
      limit: PAGE_SIZE,
    }),
    refetchInterval: poll,
    placeholderData: keepPreviousData,
  });
  const total = counts.data
    ? filter === 'all'
      ? counts.data.total
      : counts.data.byStatus[filter]
    : undefined;
  const filtered = filter !== 'all' || path !== '';

  return (
    <Card>
      <CardHeader>
        <CardTitle>Files</CardTitle>
        <CardDescription>Per-file progress as the Star reports it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <QueryView query={counts} loading={<Skeleton className="h-9 w-64" />}>
            {(known) => (
              <Tabs value={filter} onValueChange={(value) => setFilter(value as FileFilter)}>
                <TabsList aria-label="Files by status">
                  {filterChoices(known, filter).map((choice) => (
                    <TabsTrigger key={choice.value} value={choice.value}>
                      {choice.label}
                      <span className="ml-1.5 text-xs text-muted-foreground tabular-nums">
                        {choice.count.toLocaleString('en')}
                      </span>
                    </TabsTrigger>
                  ))}
                </TabsList>
              </Tabs>
            )}
          </QueryView>
          <div className="grid w-full gap-1.5 sm:w-72">
            <Label htmlFor="run-files-path">Path contains</Label>
            <Input
              id="run-files-path"
              placeholder="e.g. raw/2024"
              value={pathText}
              onChange={(event) => setPathText(event.target.value)}
            />
          </div>
        </div>
        <QueryView
          query={files}
          isEmpty={(page) => page.items.length === 0 && trail.length === 0}
          empty={
            filtered ? (
              <EmptyState
                icon={SearchX}
                title="No files match"
                description="Choose another status or change the path filter."
              />
            ) : (
              <p className="text-sm text-muted-foreground">No file has been reported for this run yet.</p>
            )
          }
        >
          {(page) => (
            <div className="grid gap-3">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Path</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="w-56">Progress</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.items.map((file) => (
                    <TableRow key={file.id}>
                      <TableCell className="max-w-md truncate font-mono text-xs">{file.path}</TableCell>
                      <TableCell>
                        <StatusBadge status={file.status} />
                        {file.error ? <p className="mt-1 text-xs text-destructive">{file.error}</p> : null}
                      </TableCell>
                      <TableCell>
                        <ByteProgress
                          done={file.bytesDone}
                          total={file.size}
                          complete={file.status === 'done'}
                          label={`${file.path} progress`}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <nav aria-label="File pages" className="flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm text-muted-foreground tabular-nums">
                  Files {pageRange(trail, PAGE_SIZE, page.items.length, total)}
                </p>
                <div className="flex gap-2">
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={trail.length === 0}
                    onClick={() => setPaging({ scope, trail: previousPage(trail) })}
                  >
                    <ChevronLeft />
                    Previous
                  </Button>
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={!page.nextCursor || files.isPlaceholderData}
                    onClick={() =>
                      page.nextCursor && setPaging({ scope, trail: nextPage(trail, page.nextCursor) })
                    }
                  >
                    Next
                    <ChevronRight />
                  </Button>
                </div>
              </nav>
            </div>
          )}
        </QueryView>
      </CardContent>
    </Card>
  );
}
