import type { AuditLogModel as AuditRow } from '../../generated/prisma/models/AuditLog.ts';
import type { Db } from '../db/create-db.ts';
import { type AuditFields, expectedAuditHash } from './audit-record.ts';

export interface ChainVerdict {
  readonly ok: boolean;
  readonly checked: number;
  /** The first record whose hash, link or sequence number is wrong. */
  readonly firstBadId?: string;
}

const PAGE = 500;

/** Walks one chain in `seq` order, recomputing every hash and link. */
export async function verifyAuditChain(db: Db, chain: string, auditKey: string): Promise<ChainVerdict> {
  let checked = 0;
  let prev: { seq: number; hash: string } | null = null;
  for (;;) {
    const after: number = prev === null ? 0 : prev.seq;
    const rows: AuditRow[] = await db.auditLog.findMany({
      where: { chain, seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: PAGE,
    });
    for (const row of rows) {
      const fields: AuditFields = {
        chain: row.chain,
        teamId: row.teamId,
        actorType: row.actorType,
        actorId: row.actorId,
        actorLabel: row.actorLabel,
        action: row.action,
        objectType: row.objectType,
        objectId: row.objectId,
        before: row.before,
        after: row.after,
        ip: row.ip,
        userAgent: row.userAgent,
        createdAt: row.createdAt.toISOString(),
      };
      const expectedSeq = (prev?.seq ?? 0) + 1;
      const expectedPrev = prev?.hash ?? null;
      const intact =
        row.seq === expectedSeq &&
        row.prevHash === expectedPrev &&
        expectedAuditHash(fields, row.seq, row.prevHash, auditKey) === row.hash;
      if (!intact) return { ok: false, checked, firstBadId: row.id };
      checked += 1;
      prev = { seq: row.seq, hash: row.hash };
    }
    if (rows.length < PAGE) return { ok: true, checked };
  }
}
