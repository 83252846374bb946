import { getServerSession } from 'next-auth';
import { z } from 'zod';
import type { SessionUser } from '../trpc/trpc-context.ts';
import { authOptions } from './auth-options.ts';

const sessionSchema = z.object({
  user: z.object({ id: z.string().min(1), email: z.string(), name: z.string().nullable().optional() }),
});

/** The signed-in user of the current request (App Router), or null. */
export async function currentSessionUser(): Promise<SessionUser | null> {
  const session = sessionSchema.safeParse(await getServerSession(authOptions()));
  if (!session.success) return null;
  const { id, email, name } = session.data.user;
  return { id, email, name: name ?? email };
}
