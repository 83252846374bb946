import { z } from 'zod';
import { Unavailable } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { getStar } from '../stars/get-star.ts';

export const previewFilterInput = z.object({
  starId: idSchema,
  path: z.string().min(1),
  include: z.array(z.string()).default([]),
  exclude: z.array(z.string()).default([]),
});
export type PreviewFilterInput = z.input<typeof previewFilterInput>;

export const filterPreviewDto = z.object({
  files: z.number().int(),
  bytes: z.number(),
  sample: z.array(z.string()),
});
export type FilterPreviewDto = z.infer<typeof filterPreviewDto>;

/** Counting matches means scanning the Star's tree, which only the Star can do over the grid. */
export async function previewFilter({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: PreviewFilterInput;
}): Promise<FilterPreviewDto> {
  authorize(ctx, 'star.browse');
  const { starId, path, include, exclude } = previewFilterInput.parse(input);
  const star = await getStar({ ctx, input: { starId } });
  if (!ctx.stars?.isConnected(star.id)) {
    throw new Unavailable(
      `Star "${star.name}" is not connected: filter previews need a live Star connection`,
    );
  }
  const match = await ctx.stars.countMatches(star.id, path, include, exclude);
  return { files: match.files, bytes: match.bytes, sample: [...match.sample] };
}
