import type { Prisma } from '../db/create-db.ts';
import type { Actor, RequestMeta } from '../services/service-context.ts';
import { type AuditFields, linkAudit } from './audit-record.ts';

export type Tx = Prisma.TransactionClient;

export interface AuditEntry {
  readonly teamId: string | null;
  readonly actor: Actor;
  readonly meta: RequestMeta;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

export const SYSTEM_CHAIN = 'system';

/** JSON as the database will hand it back (Dates as ISO strings, bigints as numbers), so the hash re-verifies. */
function asStoredJson(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)),
  ) as Prisma.InputJsonValue;
}

/**
 * Appends one record to the team's chain inside the caller's transaction, so the change and its
 * audit row commit or roll back together. An advisory lock per chain serialises writers so two
 * transactions never take the same `seq`.
 */
export async function appendAudit(tx: Tx, auditKey: string, entry: AuditEntry): Promise<void> {
  const chain = entry.teamId ?? SYSTEM_CHAIN;
  await tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtext(${chain}))`;
  const last = await tx.auditLog.findFirst({
    where: { chain },
    orderBy: { seq: 'desc' },
    select: { seq: true, hash: true },
  });
  const before = asStoredJson(entry.before);
  const after = asStoredJson(entry.after);
  const createdAt = new Date();
  const fields: AuditFields = {
    chain,
    teamId: entry.teamId,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorLabel: entry.actor.label,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    before,
    after,
    ip: entry.meta.ip,
    userAgent: entry.meta.userAgent,
    createdAt: createdAt.toISOString(),
  };
  const link = linkAudit(last, fields, auditKey);
  await tx.auditLog.create({
    data: {
      chain,
      seq: link.seq,
      teamId: entry.teamId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      ...(before === null ? {} : { before }),
      ...(after === null ? {} : { after }),
      ip: entry.meta.ip,
      userAgent: entry.meta.userAgent,
      createdAt,
      prevHash: link.prevHash,
      hash: link.hash,
    },
    select: { id: true },
  });
}
