import { signTicket } from '@orbit/engine/identity/data-plane-ticket';
import type { IssuedTicket } from '../grid/grid-hub.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import type { ActivePush } from './dispatch-run.ts';

/** A `send` ticket: the source presents it to the destination for this job's destination path. */
export function issueTicket(
  deps: Pick<DispatchDeps, 'caKey' | 'ticketTtlMs'>,
  push: ActivePush,
): Promise<string> {
  const issuedAt = new Date();
  return signTicket(
    {
      jobId: push.jobId,
      path: push.destinationPath,
      direction: 'send',
      sourceStarId: push.sourceStarId,
      destinationStarId: push.destinationStarId,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + deps.ticketTtlMs),
    },
    deps.caKey,
  );
}

/**
 * What a push's reconnect gets: a fresh ticket and the pin of the certificate this Nucleus issued
 * the destination last. A destination that renewed while it was down (or while the push ran)
 * presents that one now, not the one its PrepareReceive answered.
 */
export async function grantTicket(
  deps: Pick<DispatchDeps, 'caKey' | 'ticketTtlMs' | 'prisma'>,
  push: ActivePush,
): Promise<IssuedTicket> {
  const destination = await deps.prisma.star.findUnique({
    where: { id: push.destinationStarId },
    select: { certFingerprint: true },
  });
  if (!destination?.certFingerprint)
    throw new Error(`the destination Star ${push.destinationStarId} has no certificate on record`);
  return { ticket: await issueTicket(deps, push), peerCertFingerprint: destination.certFingerprint };
}
