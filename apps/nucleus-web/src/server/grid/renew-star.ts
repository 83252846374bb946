import { status } from '@grpc/grpc-js';
import { isOrbitError } from '@orbit/engine/errors';
import { type IssuedCertificate, issueStarCertificate } from '@orbit/engine/identity/certificate-issuer';
import { appendAudit } from '../audit/append-audit.ts';
import type { RequestMeta } from '../services/service-context.ts';
import type { AuthenticatedStar } from './authenticate-star.ts';
import { type GridServiceContext, STAR_CERTIFICATE_DAYS } from './enrol-star.ts';
import { GridRefusal } from './grid-refusal.ts';

/**
 * Issues a fresh certificate for a Star that proved its identity with its current one. The new
 * serial replaces the old in the same transaction, so from then on only the new certificate works.
 */
export async function renewStar(
  ctx: GridServiceContext,
  star: AuthenticatedStar,
  request: { starId: string; csrPem: string },
  meta: RequestMeta,
): Promise<IssuedCertificate> {
  const { starId, teamId, serialNumber } = star.identity;
  if (request.starId !== starId) {
    throw new GridRefusal(
      status.PERMISSION_DENIED,
      `the request names Star ${request.starId} but the certificate belongs to ${starId}`,
    );
  }
  const certificate = await issueStarCertificate({
    ca: ctx.ca,
    csrPem: request.csrPem,
    starId,
    teamId,
    validityDays: STAR_CERTIFICATE_DAYS,
    now: ctx.now(),
  }).catch((error: unknown) => {
    throw new GridRefusal(
      status.INVALID_ARGUMENT,
      isOrbitError(error) ? error.format() : 'the CSR is not valid',
    );
  });
  await ctx.db.$transaction(async (tx) => {
    // Conditional on the old serial: two renewals racing cannot both replace it.
    const updated = await tx.star.updateMany({
      where: { id: starId, certSerial: serialNumber },
      data: { certSerial: certificate.serialNumber, certFingerprint: certificate.fingerprint },
    });
    if (updated.count !== 1) {
      throw new GridRefusal(
        status.ABORTED,
        'the certificate changed while renewing: retry with the newest one',
      );
    }
    await appendAudit(tx, ctx.auditKey, {
      teamId,
      actor: { type: 'star', id: starId, label: star.name },
      meta,
      action: 'star.renew',
      objectType: 'star',
      objectId: starId,
      before: { certSerial: serialNumber },
      after: { certSerial: certificate.serialNumber, certNotAfter: certificate.notAfter },
    });
  });
  return certificate;
}
