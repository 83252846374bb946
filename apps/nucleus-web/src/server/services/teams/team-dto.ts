import { z } from 'zod';
import { isoTime, roleSchema } from '../dto.ts';

export const teamSettingsSchema = z.object({
  defaultCompression: z.string().default('none'),
  defaultChecksum: z.enum(['blake3', 'sha256', 'none']).default('blake3'),
  defaultConcurrency: z.number().int().min(1).max(64).default(4),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

export const teamDto = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  role: roleSchema,
  settings: teamSettingsSchema,
  createdAt: isoTime,
});
export type TeamDto = z.infer<typeof teamDto>;

export function parseTeamSettings(value: unknown): TeamSettings {
  const parsed = teamSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : teamSettingsSchema.parse({});
}

export const teamSelect = { id: true, slug: true, name: true, settings: true, createdAt: true } as const;

export function toTeamDto(
  team: { id: string; slug: string; name: string; settings: unknown; createdAt: Date },
  role: TeamDto['role'],
): TeamDto {
  return {
    id: team.id,
    slug: team.slug,
    name: team.name,
    role,
    settings: parseTeamSettings(team.settings),
    createdAt: team.createdAt.toISOString(),
  };
}
