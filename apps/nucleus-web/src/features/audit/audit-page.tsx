'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, ScrollText } from 'lucide-react';
import { Fragment, useDeferredValue, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { Input } from '../../components/ui/input.tsx';
import { Label } from '../../components/ui/label.tsx';
import { Select } from '../../components/ui/select.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { ChoiceOptions } from '../shell/choice-options.tsx';
import { formatDateTime } from '../shell/lib/format.ts';
import { PageHeader } from '../shell/page-header.tsx';
import { QueryView } from '../shell/query-view.tsx';
import { useTeam } from '../shell/team-context.tsx';
import { useTRPC } from '../shell/trpc.ts';
import { AuditDiffView } from './audit-diff-view.tsx';
import { dayRange } from './lib/day-range.ts';
import { VerifyChainButton } from './verify-chain-button.tsx';

const OBJECT_TYPES = [
  'job',
  'run',
  'star',
  'joinToken',
  'apiToken',
  'membership',
  'invitation',
  'team',
  'user',
];

export function AuditPage() {
  const team = useTeam();
  const trpc = useTRPC();
  const members = useQuery(trpc.member.list.queryOptions({ teamSlug: team.slug }));
  const [userId, setUserId] = useState('');
  const [objectType, setObjectType] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const deferredAction = useDeferredValue(action.trim());
  const range = dayRange(from, to);
  const entries = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      {
        teamSlug: team.slug,
        ...(userId ? { userId } : {}),
        ...(objectType ? { objectType } : {}),
        ...(deferredAction ? { action: deferredAction } : {}),
        ...range,
      },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = entries.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change, who made it and from where; hash-chained so tampering shows."
        actions={<VerifyChainButton />}
      />
      <div className="grid gap-3 md:grid-cols-5">
        <div className="grid gap-1.5">
          <Label htmlFor="audit-user">User</Label>
          <Select id="audit-user" value={userId} onChange={(event) => setUserId(event.target.value)}>
            <option value="">Anyone</option>
            <ChoiceOptions
              choices={(members.data ?? []).map((member) => ({ value: member.userId, label: member.email }))}
            />
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-object">Object type</Label>
          <Select
            id="audit-object"
            value={objectType}
            onChange={(event) => setObjectType(event.target.value)}
          >
            <option value="">Any object</option>
            <ChoiceOptions choices={OBJECT_TYPES} />
          </Select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-action">Action</Label>
          <Input
            id="audit-action"
            placeholder="e.g. job.create"
            value={action}
            onChange={(event) => setAction(event.target.value)}
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-to">To</Label>
          <Input id="audit-to" type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </div>
      </div>
      <QueryView
        query={{
          isPending: entries.isPending,
          isError: entries.isError,
          error: entries.error,
          data: rows,
          refetch: entries.refetch,
        }}
        isEmpty={() => rows.length === 0}
        empty={
          <EmptyState
            icon={ScrollText}
            title="No audit entries match"
            description="Widen the filters or the date range."
          />
        }
      >
        {() => (
          <div className="grid gap-3">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="w-8" />
                  <TableHead>When</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Object</TableHead>
                  <TableHead>IP</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((entry) => {
                  const expanded = open === entry.id;
                  return (
                    <Fragment key={entry.id}>
                      <TableRow
                        className="cursor-pointer"
                        onClick={() => setOpen(expanded ? null : entry.id)}
                        aria-expanded={expanded}
                      >
                        <TableCell>
                          {expanded ? (
                            <ChevronDown className="size-4" />
                          ) : (
                            <ChevronRight className="size-4" />
                          )}
                        </TableCell>
                        <TableCell className="whitespace-nowrap text-muted-foreground">
                          {formatDateTime(entry.createdAt)}
                        </TableCell>
                        <TableCell>
                          <span className="text-xs text-muted-foreground">{entry.actor.type}</span>{' '}
                          {entry.actor.label}
                        </TableCell>
                        <TableCell className="font-mono text-xs">{entry.action}</TableCell>
                        <TableCell className="text-xs">
                          {entry.objectType}
                          {entry.objectId ? (
                            <span className="text-muted-foreground"> · {entry.objectId.slice(-8)}</span>
                          ) : null}
                        </TableCell>
                        <TableCell className="font-mono text-xs text-muted-foreground">
                          {entry.ip ?? '—'}
                        </TableCell>
                      </TableRow>
                      {expanded ? (
                        <TableRow className="hover:bg-transparent">
                          <TableCell />
                          <TableCell colSpan={5} className="bg-muted/30">
                            <div className="grid gap-2 py-1">
                              <AuditDiffView before={entry.before} after={entry.after} />
                              <p className="font-mono text-[11px] text-muted-foreground">
                                #{entry.seq} · hash {entry.hash.slice(0, 16)}…
                                {entry.userAgent ? ` · ${entry.userAgent}` : ''}
                              </p>
                            </div>
                          </TableCell>
                        </TableRow>
                      ) : null}
                    </Fragment>
                  );
                })}
              </TableBody>
            </Table>
            {entries.hasNextPage ? (
              <Button
                variant="outline"
                className="justify-self-center"
                disabled={entries.isFetchingNextPage}
                onClick={() => void entries.fetchNextPage()}
              >
                {entries.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
              </Button>
            ) : null}
          </div>
        )}
      </QueryView>
    </>
  );
}
