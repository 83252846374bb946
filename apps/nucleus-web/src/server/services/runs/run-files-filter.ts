import { z } from 'zod';
import type { Prisma } from '../../db/create-db.ts';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import type { TeamContext } from '../service-context.ts';

/** Which of a run's files a listing or a count covers. */
export const runFilesFilter = z.object({
  runId: idSchema,
  /** Files whose path contains this text, in any case; blank means every file. */
  path: z.string().trim().max(1024).optional(),
});
export type RunFilesFilter = z.input<typeof runFilesFilter>;

/** The run's RunFile rows the filter covers, once the run is known to be the team's. */
export async function runFilesWhere(
  ctx: TeamContext,
  filter: z.output<typeof runFilesFilter>,
): Promise<Prisma.RunFileWhereInput> {
  const run = await ctx.db.run.findFirst({
    where: { id: filter.runId, teamId: ctx.team.id },
    select: { id: true },
  });
  if (!run) throw new NotFound('Run');
  return {
    runId: run.id,
    ...(filter.path ? { path: { contains: likeLiteral(filter.path), mode: 'insensitive' } } : {}),
  };
}

/** Prisma hands `contains` to ILIKE as it is: "%" and "_" in a path are characters, not patterns. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
