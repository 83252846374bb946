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
    const refresh = (): void => {
      void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
      void queryClient.invalidateQueries(trpc.run.pathFilter());
      void queryClient.invalidateQueries(trpc.star.pathFilter());
      void queryClient.invalidateQueries(trpc.job.starmap.pathFilter());
    };
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.onmessage = refresh;
    for (const type of ['run', 'star', 'job']) source.addEventListener(type, refresh);
    return () => source.close();
  }, [slug, trpc, queryClient]);

  return connected;
}

/** Poll every 10 s only while the live stream is down. */
export function fallbackInterval(connected: boolean): number | false {
  return connected ? false : 10_000;
}
