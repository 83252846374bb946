import { z } from 'zod';
import { NotFound } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';

export const listRunFilesInput = z.object({
  runId: idSchema,
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListRunFilesInput = z.input<typeof listRunFilesInput>;

export const runFileDto = z.object({
  id: z.string(),
  path: z.string(),
  size: z.number(),
  bytesDone: z.number(),
  status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  error: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export const runFilesPageDto = z.object({ items: z.array(runFileDto), nextCursor: z.string().nullable() });
export type RunFilesPageDto = z.infer<typeof runFilesPageDto>;

export async function listRunFiles({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListRunFilesInput;
}): Promise<RunFilesPageDto> {
  authorize(ctx, 'run.read');
  const { runId, status, cursor, limit } = listRunFilesInput.parse(input);
  const run = await ctx.db.run.findFirst({ where: { id: runId, teamId: ctx.team.id }, select: { id: true } });
  if (!run) throw new NotFound('Run');
  const rows = await ctx.db.runFile.findMany({
    where: { runId, ...(status ? { status } : {}) },
    orderBy: { path: 'asc' },
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true, path: true, size: true, bytesDone: true, status: true, error: true, updatedAt: true },
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      ...row,
      size: Number(row.size),
      bytesDone: Number(row.bytesDone),
      updatedAt: row.updatedAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
