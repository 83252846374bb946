'use client';

import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../server/routers/app-router.ts';

/** Typed tRPC hooks for every client component: `const trpc = useTRPC()` then `trpc.job.list.queryOptions(…)`. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** DTO types as the server returns them; screens derive their prop types from these, never from Prisma. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
