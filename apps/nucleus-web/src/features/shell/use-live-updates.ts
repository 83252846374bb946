'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTeam } from './team-context.tsx';
import { useTRPC } from './trpc.ts';

/**
 * Subscribes to the team's server-sent events (run and Star changes) and refreshes the queries they
 * affect. Returns whether the stream is open, so screens can poll as a fallback while it is not.
 */
export function useLiveUpdates(): boolean {
  const { slug } = useTeam();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const source = new EventSource(`/api/teams/${encodeURIComponent(slug)}/events`);
    // Each event names what changed; refetch the queries that show it (the dashboard shows all three).
    const filters = {
      'run.changed': [trpc.run.pathFilter(), trpc.job.pathFilter()],
      // A Star joining also spends its join token.
      'star.changed': [trpc.star.pathFilter(), trpc.joinToken.pathFilter()],
      'job.changed': [trpc.job.pathFilter()],
    } as const;
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    for (const [type, affected] of Object.entries(filters)) {
      source.addEventListener(type, () => {
        void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
        for (const filter of affected) void queryClient.invalidateQueries(filter);
      });
    }
    return () => source.close();
  }, [slug, trpc, queryClient]);

  return connected;
}

/** Poll every 10 s only while the live stream is down. */
export function fallbackInterval(connected: boolean): number | false {
  return connected ? false : 10_000;
}
