import { browseStar, browseStarInput } from '../services/stars/browse-star.ts';
import { drainStar } from '../services/stars/drain-star.ts';
import { getStar, starIdInput } from '../services/stars/get-star.ts';
import { listStars } from '../services/stars/list-stars.ts';
import { removeStar } from '../services/stars/remove-star.ts';
import { createRouter, roleProcedure } from '../trpc/procedures.ts';

export const starRouter = createRouter({
  list: roleProcedure('star.read').query(({ ctx }) => listStars({ ctx: ctx.team })),
  get: roleProcedure('star.read')
    .input(starIdInput)
    .query(({ ctx, input }) => getStar({ ctx: ctx.team, input })),
  drain: roleProcedure('star.drain')
    .input(starIdInput)
    .mutation(({ ctx, input }) => drainStar({ ctx: ctx.team, input })),
  remove: roleProcedure('star.remove')
    .input(starIdInput)
    .mutation(({ ctx, input }) => removeStar({ ctx: ctx.team, input })),
  browse: roleProcedure('star.browse')
    .input(browseStarInput)
    .query(({ ctx, input }) => browseStar({ ctx: ctx.team, input })),
});
