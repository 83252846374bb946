'use client';

import { useQuery } from '@tanstack/react-query';
import { Orbit } from 'lucide-react';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import type * as React from 'react';
import { Button } from '../../components/ui/button.tsx';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { ErrorState } from '../../components/ui/error-state.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { errorMessage } from './lib/error-message.ts';
import { Sidebar } from './sidebar.tsx';
import { TeamContext } from './team-context.tsx';
import { TopBar } from './top-bar.tsx';
import { useTRPC } from './trpc.ts';
import { useSignInOnUnauthorized } from './use-session-redirect.ts';

export function TeamLayout({ children }: { children: React.ReactNode }) {
  const params = useParams<{ team: string }>();
  const trpc = useTRPC();
  const me = useQuery(trpc.me.get.queryOptions());
  const signingIn = useSignInOnUnauthorized(me.error);

  if (me.isPending || signingIn) {
    return (
      <div className="flex min-h-screen">
        <div className="w-60 border-r p-4">
          <Skeleton className="h-8 w-full" />
        </div>
        <div className="flex-1 space-y-4 p-8">
          <Skeleton className="h-8 w-64" />
          <Skeleton className="h-40 w-full" />
        </div>
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="mx-auto max-w-lg p-10">
        <ErrorState
          title="Could not load your account"
          message={errorMessage(me.error)}
          onRetry={() => void me.refetch()}
        />
      </div>
    );
  }
  const team = me.data.teams.find((candidate) => candidate.slug === params.team);
  if (!team) {
    return (
      <div className="mx-auto max-w-lg p-10">
        <EmptyState
          icon={Orbit}
          title="Team not found"
          description={`You are not a member of a team called “${params.team}”.`}
          action={
            <Button asChild variant="outline">
              <Link href="/">Go to your teams</Link>
            </Button>
          }
        />
      </div>
    );
  }
  return (
    <TeamContext.Provider value={{ slug: team.slug, name: team.name, role: team.role }}>
      <div className="flex min-h-screen">
        <Sidebar teams={me.data.teams} />
        <div className="flex min-w-0 flex-1 flex-col">
          <TopBar user={me.data.user} />
          <main className="flex-1">
            <div className="mx-auto flex max-w-6xl flex-col gap-6 px-8 py-8">{children}</div>
          </main>
        </div>
      </div>
    </TeamContext.Provider>
  );
}
