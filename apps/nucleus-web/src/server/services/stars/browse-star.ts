import { z } from 'zod';
import { Unavailable } from '../../errors.ts';
import { idSchema } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';
import { getStar } from './get-star.ts';

export const browseStarInput = z.object({ starId: idSchema, path: z.string().min(1).default('/') });
export type BrowseStarInput = z.input<typeof browseStarInput>;

export const directoryEntryDto = z.object({
  name: z.string(),
  kind: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number(),
  modifiedAt: z.iso.datetime().nullable(),
});
export type DirectoryEntryDto = z.infer<typeof directoryEntryDto>;

/** Directory listings come from the Star over the grid; without a live connection there is no answer. */
export async function browseStar({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: BrowseStarInput;
}): Promise<DirectoryEntryDto[]> {
  authorize(ctx, 'star.browse');
  const { starId, path } = browseStarInput.parse(input);
  const star = await getStar({ ctx, input: { starId } });
  if (!ctx.stars?.isConnected(star.id)) {
    throw new Unavailable(`Star "${star.name}" is not connected: browsing needs a live Star connection`);
  }
  return ctx.stars.browse(star.id, path);
}
