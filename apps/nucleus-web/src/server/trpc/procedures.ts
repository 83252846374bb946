import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Action } from '../auth/permissions.ts';
import { isDomainError, TRPC_CODE, toDomainError, Unauthenticated } from '../errors.ts';
import { authorize, type ServiceContext } from '../services/service-context.ts';
import { resolveTeamMember } from '../services/teams/resolve-team-member.ts';
import type { TrpcContext } from './trpc-context.ts';

/**
 * The procedure ladder: public → authed (user present) → team member (role loaded from
 * `input.teamSlug`) → role-gated. Each step narrows the context so handlers never re-check.
 */
const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const domain = isDomainError(error.cause) ? error.cause : null;
    return {
      ...shape,
      data: { ...shape.data, domainCode: domain?.code ?? null, fields: domain ? [...domain.fields] : [] },
    };
  },
});

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps every failure to a domain error once, so clients see one set of codes and messages. */
const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const original = result.error.cause ?? result.error;
  if (original instanceof TRPCError) return result;
  const domain = toDomainError(original);
  if (domain.code === 'INTERNAL') console.error(`tRPC ${path} failed:`, original);
  throw new TRPCError({ code: TRPC_CODE[domain.code], message: domain.message, cause: domain });
});

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new Unauthenticated('Sign in to continue');
  const service: ServiceContext = {
    ...ctx.base,
    actor: { type: 'user', id: ctx.user.id, label: ctx.user.email },
  };
  return next({ ctx: { user: ctx.user, service } });
});

export const teamProcedure = authedProcedure
  .input(z.object({ teamSlug: z.string().min(1) }))
  .use(async ({ ctx, input, next }) => {
    const team = await resolveTeamMember(ctx.service, ctx.user.id, input.teamSlug);
    return next({ ctx: { team } });
  });

export function roleProcedure(action: Action) {
  return teamProcedure.use(({ ctx, next }) => {
    authorize(ctx.team, action);
    return next();
  });
}
