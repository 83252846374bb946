'use client';

import { useQuery } from '@tanstack/react-query';
import { Users } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { ErrorState } from '../../components/ui/error-state.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { errorMessage } from './lib/error-message.ts';
import { useTRPC } from './trpc.ts';
import { useSignInOnUnauthorized } from './use-session-redirect.ts';

/** `/` sends a signed-in user to their first team's dashboard. */
export function HomeRedirect() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.me.get.queryOptions());
  const first = me.data?.teams[0];
  const signingIn = useSignInOnUnauthorized(me.error);

  useEffect(() => {
    if (first) router.replace(`/t/${first.slug}/dashboard`);
  }, [first, router]);

  if (me.isError && !signingIn) {
    return (
      <div className="mx-auto max-w-lg p-10">
        <ErrorState message={errorMessage(me.error)} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (me.data && !first) {
    return (
      <div className="mx-auto max-w-lg p-10">
        <EmptyState
          icon={Users}
          title="You are not in a team yet"
          description="Ask a team owner to invite you; the invitation link brings you straight in."
        />
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-lg space-y-3 p-10">
      <Skeleton className="h-6 w-40" />
      <Skeleton className="h-24 w-full" />
    </div>
  );
}
