import { z } from 'zod';
import { isoTime } from '../dto.ts';

export const joinTokenDto = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.enum(['active', 'used', 'revoked', 'expired']),
  expiresAt: isoTime,
  issuedBy: z.string(),
  usedAt: isoTime.nullable(),
  usedByStar: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: isoTime,
});
export type JoinTokenDto = z.infer<typeof joinTokenDto>;

export const joinTokenSelect = {
  id: true,
  name: true,
  expiresAt: true,
  usedAt: true,
  revokedAt: true,
  createdAt: true,
  issuedBy: { select: { email: true } },
  usedByStar: { select: { id: true, name: true } },
} as const;

export function toJoinTokenDto(
  row: {
    id: string;
    name: string | null;
    expiresAt: Date;
    usedAt: Date | null;
    revokedAt: Date | null;
    createdAt: Date;
    issuedBy: { email: string };
    usedByStar: { id: string; name: string } | null;
  },
  now = new Date(),
): JoinTokenDto {
  const status = row.usedAt
    ? 'used'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt <= now
        ? 'expired'
        : 'active';
  return {
    id: row.id,
    name: row.name,
    status,
    expiresAt: row.expiresAt.toISOString(),
    issuedBy: row.issuedBy.email,
    usedAt: row.usedAt?.toISOString() ?? null,
    usedByStar: row.usedByStar,
    createdAt: row.createdAt.toISOString(),
  };
}
