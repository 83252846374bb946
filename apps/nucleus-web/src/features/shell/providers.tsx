'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type * as React from 'react';
import { useState } from 'react';
import superjson from 'superjson';
import { Toaster } from '../../components/ui/toast.tsx';
import { TooltipProvider } from '../../components/ui/tooltip.tsx';
import type { AppRouter } from '../../server/routers/app-router.ts';
import { errorCode } from './lib/error-message.ts';
import { TRPCProvider } from './trpc.ts';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Retrying a refusal only delays the error the user needs to see.
        retry: (failures, error) => {
          const code = errorCode(error);
          if (
            code &&
            ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'PRECONDITION_FAILED'].includes(code)
          )
            return false;
          return failures < 2;
        },
      },
    },
  });
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: '/api/trpc', transformer: superjson })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <TooltipProvider delayDuration={300}>
          {children}
          <Toaster />
        </TooltipProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
