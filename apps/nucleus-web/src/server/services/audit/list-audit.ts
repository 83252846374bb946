import { z } from 'zod';
import { isoTime } from '../dto.ts';
import { authorize, type TeamContext } from '../service-context.ts';

export const listAuditInput = z.object({
  userId: z.string().optional(),
  objectType: z.string().max(40).optional(),
  action: z.string().max(60).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** The `seq` to continue below (exclusive); from the previous page's nextCursor. */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAuditInput = z.input<typeof listAuditInput>;

export const auditEntryDto = z.object({
  id: z.string(),
  seq: z.number().int(),
  actor: z.object({
    type: z.enum(['user', 'token', 'star', 'system']),
    id: z.string().nullable(),
    label: z.string(),
  }),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: isoTime,
  hash: z.string(),
});
export const auditPageDto = z.object({
  items: z.array(auditEntryDto),
  nextCursor: z.number().int().nullable(),
});
export type AuditPageDto = z.infer<typeof auditPageDto>;

export async function listAudit({
  ctx,
  input,
}: {
  ctx: TeamContext;
  input: ListAuditInput;
}): Promise<AuditPageDto> {
  authorize(ctx, 'audit.read');
  const { userId, objectType, action, from, to, cursor, limit } = listAuditInput.parse(input);
  const rows = await ctx.db.auditLog.findMany({
    where: {
      chain: ctx.team.id,
      ...(userId ? { actorType: 'user', actorId: userId } : {}),
      ...(objectType ? { objectType } : {}),
      ...(action ? { action } : {}),
      ...(from || to
        ? { createdAt: { ...(from ? { gte: new Date(from) } : {}), ...(to ? { lte: new Date(to) } : {}) } }
        : {}),
      ...(cursor ? { seq: { lt: cursor } } : {}),
    },
    orderBy: { seq: 'desc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      seq: row.seq,
      actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
      action: row.action,
      objectType: row.objectType,
      objectId: row.objectId,
      before: row.before,
      after: row.after,
      ip: row.ip,
      userAgent: row.userAgent,
      createdAt: row.createdAt.toISOString(),
      hash: row.hash,
    })),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.seq ?? null) : null,
  };
}
