import { z } from 'zod';
import { isoTime } from '../dto.ts';

export const allowedPathSchema = z.object({ path: z.string(), access: z.enum(['ro', 'rw']) });

export const starDto = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['online', 'offline']),
  lifecycle: z.enum(['registered', 'scheduled', 'draining', 'shutdown']),
  version: z.string().nullable(),
  capabilities: z.array(z.string()),
  allowedPaths: z.array(allowedPathSchema),
  lastHeartbeatAt: isoTime.nullable(),
  load: z.record(z.string(), z.number()).nullable(),
  createdAt: isoTime,
});
export type StarDto = z.infer<typeof starDto>;

export const starSelect = {
  id: true,
  name: true,
  status: true,
  lifecycle: true,
  version: true,
  capabilities: true,
  allowedPaths: true,
  lastHeartbeatAt: true,
  load: true,
  createdAt: true,
} as const;

interface StarRow {
  id: string;
  name: string;
  status: StarDto['status'];
  lifecycle: StarDto['lifecycle'];
  version: string | null;
  capabilities: unknown;
  allowedPaths: unknown;
  lastHeartbeatAt: Date | null;
  load: unknown;
  createdAt: Date;
}

/** JSON columns are written by the grid; anything malformed shows as empty rather than breaking lists. */
export function toStarDto(row: StarRow): StarDto {
  const capabilities = z.array(z.string()).safeParse(row.capabilities);
  const allowedPaths = z.array(allowedPathSchema).safeParse(row.allowedPaths);
  const load = z.record(z.string(), z.number()).safeParse(row.load);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    lifecycle: row.lifecycle,
    version: row.version,
    capabilities: capabilities.success ? capabilities.data : [],
    allowedPaths: allowedPaths.success ? allowedPaths.data : [],
    lastHeartbeatAt: row.lastHeartbeatAt?.toISOString() ?? null,
    load: load.success ? load.data : null,
    createdAt: row.createdAt.toISOString(),
  };
}
