import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { isOrbitError } from '@orbit/engine/errors';
import { type IssuedCertificate, issueStarCertificate } from '@orbit/engine/identity/certificate-issuer';
import type { GridCa } from '@orbit/engine/identity/grid-ca';
import { verifyCsr } from '@orbit/engine/identity/star-csr';
import { z } from 'zod';
import { appendAudit } from '../audit/append-audit.ts';
import { hashToken, tokenDisplayPrefix } from '../auth/secret-token.ts';
import type { Db } from '../db/create-db.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { RequestMeta } from '../services/service-context.ts';
import { GridRefusal } from './grid-refusal.ts';

export const STAR_CERTIFICATE_DAYS = 30;

export const reportedRootSchema = z.object({
  path: z.string().startsWith('/'),
  access: z.enum(['ro', 'rw']),
});
export type ReportedRoot = z.infer<typeof reportedRootSchema>;

export interface EnrolStarInput {
  readonly token: string;
  readonly csrPem: string;
  readonly starName: string;
  readonly version: string;
  readonly capabilities: readonly string[];
  readonly allowedPaths: readonly ReportedRoot[];
}

export interface GridServiceContext {
  readonly db: Db;
  readonly auditKey: string;
  readonly events?: EventBus;
  readonly ca: GridCa;
  readonly now: () => Date;
}

export interface EnrolledStar {
  readonly starId: string;
  readonly teamId: string;
  readonly certificate: IssuedCertificate;
}

type TokenProblem = 'unknown' | 'used' | 'revoked' | 'expired';

/**
 * Trades a one-time join token and a CSR for a Star certificate. Token claim, Star row, certificate
 * serial and audit row commit together; a refused token is audited in its own transaction since
 * the main one rolls back.
 */
export async function enrolStar(
  ctx: GridServiceContext,
  input: EnrolStarInput,
  meta: RequestMeta,
): Promise<EnrolledStar> {
  if (input.token.trim() === '') {
    throw new GridRefusal(
      status.INVALID_ARGUMENT,
      'a join token is required: copy the join command from the Nucleus UI',
    );
  }
  const csr = await verifyCsr(input.csrPem).catch((error: unknown) => {
    throw new GridRefusal(
      status.INVALID_ARGUMENT,
      isOrbitError(error) ? error.format() : 'the CSR is not valid',
    );
  });
  const now = ctx.now();
  try {
    const enrolled = await ctx.db.$transaction(async (tx) => {
      const token = await tx.joinToken.findUnique({
        where: { tokenHash: hashToken(input.token) },
        select: { id: true, teamId: true, name: true, usedAt: true, revokedAt: true, expiresAt: true },
      });
      if (!token) throw new TokenRefused('unknown', null, null);
      const problem: TokenProblem | undefined = token.usedAt
        ? 'used'
        : token.revokedAt
          ? 'revoked'
          : token.expiresAt <= now
            ? 'expired'
            : undefined;
      if (problem) throw new TokenRefused(problem, token.teamId, token.id);
      // The conditional claim makes two Stars racing with one token see exactly one winner.
      const claimed = await tx.joinToken.updateMany({
        where: { id: token.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (claimed.count !== 1) throw new TokenRefused('used', token.teamId, token.id);
      const name = token.name ?? (input.starName || csr.starName);
      const existing = await tx.star.findUnique({
        where: { teamId_name: { teamId: token.teamId, name } },
        select: { id: true, certSerial: true },
      });
      const starId = existing?.id ?? randomUUID();
      const certificate = await issueStarCertificate({
        ca: ctx.ca,
        csrPem: input.csrPem,
        starId,
        teamId: token.teamId,
        validityDays: STAR_CERTIFICATE_DAYS,
        now,
      });
      const fields = {
        version: input.version || null,
        capabilities: [...input.capabilities],
        allowedPaths: input.allowedPaths.map(({ path, access }) => ({ path, access })),
        certSerial: certificate.serialNumber,
        certFingerprint: certificate.fingerprint,
        status: 'offline' as const,
        lifecycle: 'registered' as const,
      };
      if (existing) await tx.star.update({ where: { id: starId }, data: fields, select: { id: true } });
      else
        await tx.star.create({
          data: { id: starId, teamId: token.teamId, name, ...fields },
          select: { id: true },
        });
      await tx.joinToken.update({
        where: { id: token.id },
        data: { usedByStarId: starId },
        select: { id: true },
      });
      await appendAudit(tx, ctx.auditKey, {
        teamId: token.teamId,
        actor: { type: 'star', id: starId, label: name },
        meta,
        action: existing ? 'star.rejoin' : 'star.join',
        objectType: 'star',
        objectId: starId,
        ...(existing ? { before: { certSerial: existing.certSerial } } : {}),
        after: {
          name,
          joinTokenId: token.id,
          certSerial: certificate.serialNumber,
          certFingerprint: certificate.fingerprint,
          certNotAfter: certificate.notAfter,
          allowedPaths: fields.allowedPaths,
        },
      });
      return { starId, teamId: token.teamId, certificate };
    });
    ctx.events?.publish(enrolled.teamId, { type: 'star.changed', id: enrolled.starId });
    return enrolled;
  } catch (error) {
    if (!(error instanceof TokenRefused)) throw error;
    await auditRefusal(ctx, error, input, meta);
    throw error.toRefusal();
  }
}

class TokenRefused extends Error {
  constructor(
    readonly problem: TokenProblem,
    readonly teamId: string | null,
    readonly tokenId: string | null,
  ) {
    super(`join token ${problem}`);
  }

  toRefusal(): GridRefusal {
    const messages: Record<TokenProblem, string> = {
      unknown:
        'this join token is not known to this Nucleus: copy the join command again from the Nucleus UI',
      used: 'this join token was already used: join tokens work once, issue a new one in the Nucleus UI',
      revoked: 'this join token was revoked: issue a new one in the Nucleus UI',
      expired: 'this join token has expired: issue a new one in the Nucleus UI',
    };
    return new GridRefusal(
      this.problem === 'unknown' ? status.UNAUTHENTICATED : status.PERMISSION_DENIED,
      messages[this.problem],
    );
  }
}

async function auditRefusal(
  ctx: GridServiceContext,
  refused: TokenRefused,
  input: EnrolStarInput,
  meta: RequestMeta,
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await appendAudit(tx, ctx.auditKey, {
      teamId: refused.teamId,
      actor: { type: 'star', id: null, label: input.starName || 'unknown star' },
      meta,
      action: 'star.join.refused',
      objectType: 'joinToken',
      objectId: refused.tokenId,
      after: { reason: refused.problem, tokenPrefix: tokenDisplayPrefix(input.token) },
    });
  });
}
