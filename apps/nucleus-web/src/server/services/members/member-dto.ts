import { z } from 'zod';
import { isoTime, roleSchema } from '../dto.ts';

export const memberDto = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  joinedAt: isoTime,
});
export type MemberDto = z.infer<typeof memberDto>;

export const memberSelect = {
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true } },
} as const;

export function toMemberDto(row: {
  role: MemberDto['role'];
  createdAt: Date;
  user: { id: string; email: string; name: string };
}): MemberDto {
  return {
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt.toISOString(),
  };
}

export const invitationDto = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expiresAt: isoTime,
  createdAt: isoTime,
});
export type InvitationDto = z.infer<typeof invitationDto>;

export const invitationSelect = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export function toInvitationDto(
  row: {
    id: string;
    email: string;
    role: InvitationDto['role'];
    expiresAt: Date;
    acceptedAt: Date | null;
    revokedAt: Date | null;
    createdAt: Date;
  },
  now = new Date(),
): InvitationDto {
  const status = row.acceptedAt
    ? 'accepted'
    : row.revokedAt
      ? 'revoked'
      : row.expiresAt <= now
        ? 'expired'
        : 'pending';
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
