import { z } from 'zod';
import { isoTime, roleSchema } from '../dto.ts';

export const apiTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  status: z.enum(['active', 'revoked', 'expired']),
  createdBy: z.string(),
  expiresAt: isoTime.nullable(),
  lastUsedAt: isoTime.nullable(),
  revokedAt: isoTime.nullable(),
  createdAt: isoTime,
});
export type ApiTokenDto = z.infer<typeof apiTokenDto>;

export const apiTokenSelect = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

export function toApiTokenDto(
  row: {
    id: string;
    name: string;
    role: ApiTokenDto['role'];
    prefix: string;
    expiresAt: Date | null;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
    createdAt: Date;
    createdBy: { email: string };
  },
  now = new Date(),
): ApiTokenDto {
  const status = row.revokedAt ? 'revoked' : row.expiresAt && row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    status,
    createdBy: row.createdBy.email,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
