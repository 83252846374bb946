import { computeAuditMac, linkAuditRecord } from '@orbit/engine/audit/audit-chain';

/**
 * The audit fields covered by the HMAC chain (the engine's `linkAuditRecord`, shared with the
 * Star's log). One chain per team; events outside any team use the "system" chain.
 */
export interface AuditFields {
  readonly chain: string;
  readonly teamId: string | null;
  readonly actorType: 'user' | 'token' | 'star' | 'system';
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** ISO 8601 with milliseconds, as the database stores it. */
  readonly createdAt: string;
}

export interface ChainLink {
  readonly seq: number;
  readonly hash: string;
}

export function linkAudit(prev: ChainLink | null, fields: AuditFields, key: string) {
  const record = linkAuditRecord(prev === null ? null : { seq: prev.seq, mac: prev.hash }, fields, key);
  return { seq: record.seq, prevHash: record.prev, hash: record.mac };
}

export function expectedAuditHash(
  fields: AuditFields,
  seq: number,
  prevHash: string | null,
  key: string,
): string {
  return computeAuditMac(key, { ...fields, seq, prev: prevHash });
}
