import { z } from 'zod';
import { appendAudit, SYSTEM_CHAIN } from '../../audit/append-audit.ts';
import { verifyPassword } from '../../auth/password.ts';
import type { SlidingWindowLimiter } from '../../auth/sliding-window-limiter.ts';
import { RateLimited, Unauthenticated } from '../../errors.ts';
import type { ServiceContext } from '../service-context.ts';

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});
export type SignInInput = z.input<typeof signInInput>;

export interface SignedInUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/**
 * Checks an email + password. Failures count toward a per email+IP limit and are audited in the
 * system chain (and in the user's teams' chains when the email belongs to a user).
 */
export async function signInWithPassword({
  ctx,
  limiter,
  input,
}: {
  ctx: Omit<ServiceContext, 'actor'>;
  limiter: SlidingWindowLimiter;
  input: SignInInput;
}): Promise<SignedInUser> {
  const parsed = signInInput.safeParse(input);
  if (!parsed.success) throw new Unauthenticated('Email or password is wrong');
  const { email, password } = parsed.data;
  const key = `${email}|${ctx.meta.ip ?? 'unknown'}`;
  const wait = limiter.retryAfterSeconds(key);
  if (wait > 0) {
    throw new RateLimited(
      `Too many failed sign-ins for ${email}: try again in ${Math.ceil(wait / 60)} minute(s)`,
      wait,
    );
  }
  const user = await ctx.db.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      memberships: { select: { teamId: true } },
    },
  });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : false;
  if (!user || !ok) {
    limiter.recordFailure(key);
    await ctx.db.$transaction(async (tx) => {
      const teamIds = user ? user.memberships.map((membership) => membership.teamId) : [];
      for (const teamId of [null, ...teamIds]) {
        await appendAudit(tx, ctx.auditKey, {
          teamId,
          actor: { type: 'system', id: null, label: 'sign-in' },
          meta: ctx.meta,
          action: 'auth.signInFailed',
          objectType: 'user',
          objectId: user?.id ?? null,
          after: { email, chain: teamId ?? SYSTEM_CHAIN },
        });
      }
    });
    throw new Unauthenticated('Email or password is wrong');
  }
  limiter.reset(key);
  await ctx.db.user.update({
    where: { id: user.id },
    data: { lastLoginAt: new Date() },
    select: { id: true },
  });
  return { id: user.id, email: user.email, name: user.name };
}
