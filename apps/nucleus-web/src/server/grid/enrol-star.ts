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

type JoinProblem = 'unknown' | 'used' | 'revoked' | 'expired' | 'name-mismatch' | 'name-taken';

/**
 * Trades a one-time join token and a CSR for a Star certificate. Token claim, Star row, certificate
 * serial and audit row commit together; a refusal is audited in its own transaction since the main
 * one rolls back (so a refused name leaves the token unspent for a corrected retry).
 * The name is the Star's own (`orbit-star join --name`, default its host name); a token issued
 * for a name admits only a Star asking for that name, and a name already in the team is refused.
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
  const name = input.starName || csr.starName;
  const now = ctx.now();
  try {
    const enrolled = await ctx.db.$transaction(async (tx) => {
      const token = await tx.joinToken.findUnique({
        where: { tokenHash: hashToken(input.token) },
        select: { id: true, teamId: true, name: true, usedAt: true, revokedAt: true, expiresAt: true },
      });
      if (!token) throw new JoinRefused('unknown', null, null);
      const problem: JoinProblem | undefined = token.usedAt
        ? 'used'
        : token.revokedAt
          ? 'revoked'
          : token.expiresAt <= now
            ? 'expired'
            : undefined;
      if (problem) throw new JoinRefused(problem, token.teamId, token.id);
      if (token.name !== null && token.name !== name) {
        throw new JoinRefused('name-mismatch', token.teamId, token.id, {
          tokenName: token.name,
          requestedName: name,
        });
      }
      const taken = await tx.star.findUnique({
        where: { teamId_name: { teamId: token.teamId, name } },
        select: { id: true },
      });
      if (taken) {
        throw new JoinRefused('name-taken', token.teamId, token.id, {
          requestedName: name,
          takenByStarId: taken.id,
        });
      }
      // The conditional claim makes two Stars racing with one token see exactly one winner.
      const claimed = await tx.joinToken.updateMany({
        where: { id: token.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (claimed.count !== 1) throw new JoinRefused('used', token.teamId, token.id);
      const starId = randomUUID();
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
      await tx.star
        .create({ data: { id: starId, teamId: token.teamId, name, ...fields }, select: { id: true } })
        .catch((error: unknown) => {
          // Another Star took the name between the check above and this insert.
          if ((error as { code?: unknown }).code === 'P2002')
            throw new JoinRefused('name-taken', token.teamId, token.id, { requestedName: name });
          throw error;
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
        action: 'star.join',
        objectType: 'star',
        objectId: starId,
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
    if (!(error instanceof JoinRefused)) throw error;
    await auditRefusal(ctx, error, input, meta);
    throw error.toRefusal();
  }
}

class JoinRefused extends Error {
  constructor(
    readonly problem: JoinProblem,
    readonly teamId: string | null,
    readonly tokenId: string | null,
    readonly names: { tokenName?: string; requestedName: string; takenByStarId?: string } | null = null,
  ) {
    super(`join refused: ${problem}`);
  }

  toRefusal(): GridRefusal {
    const requested = this.names?.requestedName ?? '';
    const messages: Record<JoinProblem, string> = {
      unknown:
        'this join token is not known to this Nucleus: copy the join command again from the Nucleus UI',
      used: 'this join token was already used: join tokens work once, issue a new one in the Nucleus UI',
      revoked: 'this join token was revoked: issue a new one in the Nucleus UI',
      expired: 'this join token has expired: issue a new one in the Nucleus UI',
      'name-mismatch': `this join token is for a Star named "${this.names?.tokenName ?? ''}", but this Star asks to be "${requested}": run the join again with --name "${this.names?.tokenName ?? ''}", or issue a token without a name (the token was not used)`,
      'name-taken': `a Star named "${requested}" already exists in this team: join with another --name, or remove that Star in the Nucleus UI first (the token was not used)`,
    };
    // The name refusals get their own codes: the Star tells its user the token is still good.
    const code =
      this.problem === 'unknown'
        ? status.UNAUTHENTICATED
        : this.problem === 'name-taken'
          ? status.ALREADY_EXISTS
          : this.problem === 'name-mismatch'
            ? status.FAILED_PRECONDITION
            : status.PERMISSION_DENIED;
    return new GridRefusal(code, messages[this.problem]);
  }
}

async function auditRefusal(
  ctx: GridServiceContext,
  refused: JoinRefused,
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
      after: {
        reason: refused.problem,
        tokenPrefix: tokenDisplayPrefix(input.token),
        ...(refused.names ?? {}),
      },
    });
  });
}
