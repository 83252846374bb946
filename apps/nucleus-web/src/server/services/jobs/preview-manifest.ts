import { formatCompression } from '@orbit/engine/compression/compression-setting';
import { formatLocation } from '@orbit/engine/manifest/manifest-types';
import { parseManifest } from '@orbit/engine/manifest/parse-manifest';
import { graphOfPlan, planStarmap } from '@orbit/engine/planner/index';
import { z } from 'zod';
import { authorize, type TeamContext } from '../service-context.ts';
import {
  type ManifestInput,
  manifestProblemDto,
  manifestProblems,
  NUCLEUS_MANIFEST_FILE,
} from './manifest-problems.ts';

export const manifestPreviewDto = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    jobs: z.array(
      z.object({
        name: z.string(),
        source: z.string(),
        destination: z.string(),
        mode: z.enum(['copy', 'mirror', 'archive']),
        compression: z.string(),
        checksum: z.string(),
        dependsOn: z.array(z.string()),
        schedule: z.string().nullable(),
        /** Already a job of this team: importing would conflict. */
        exists: z.boolean(),
      }),
    ),
    starmap: z.object({
      nodes: z.array(
        z.object({ id: z.string(), label: z.string(), mode: z.string(), group: z.number().int() }),
      ),
      edges: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
  }),
  z.object({ ok: z.literal(false), problems: z.array(manifestProblemDto) }),
]);
export type ManifestPreviewDto = z.infer<typeof manifestPreviewDto>;

/** Parses without saving: the jobs it would create, or every problem with line and column. */
export async function previewManifest({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ManifestInput;
}): Promise<ManifestPreviewDto> {
  authorize(ctx, 'job.read');
  let manifest: ReturnType<typeof parseManifest>;
  let starmap: ReturnType<typeof graphOfPlan>;
  try {
    manifest = parseManifest(input.toml, { file: NUCLEUS_MANIFEST_FILE, env: {} });
    starmap = graphOfPlan(planStarmap(manifest));
  } catch (error) {
    return { ok: false, problems: manifestProblems(error) };
  }
  const existing = await ctx.db.job.findMany({
    where: { teamId: ctx.team.id, name: { in: manifest.jobs.map((job) => job.name) } },
    select: { name: true },
  });
  const taken = new Set(existing.map((job) => job.name));
  return {
    ok: true,
    jobs: manifest.jobs.map((job) => {
      const locations = manifest.locations[job.name];
      return {
        name: job.name,
        source: locations ? formatLocation(locations.source) : job.source,
        destination: locations ? formatLocation(locations.destination) : job.destination,
        mode: job.mode,
        compression: formatCompression(job.compression),
        checksum: job.checksum,
        dependsOn: [...job.dependsOn],
        schedule: manifest.schedules[job.name] ?? null,
        exists: taken.has(job.name),
      };
    }),
    starmap: {
      nodes: starmap.nodes.map((node) => ({ ...node })),
      edges: starmap.edges.map((edge) => ({ ...edge })),
    },
  };
}
