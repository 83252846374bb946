import { appendAudit, type Tx } from '../audit/append-audit.ts';
import type { Db } from '../db/create-db.ts';
import { DISPATCHER_ACTOR, NO_REQUEST } from './dispatcher-actor.ts';

/** The one lease row's name: one dispatcher per database. */
export const LEASE_NAME = 'dispatcher';

/**
 * A term as lease holder: its fencing token (the lease epoch it took) and what to do when a write
 * under it is refused because another process has taken the lease since.
 */
export interface LeaseFence {
  readonly epoch: number;
  readonly holder: string;
  /** Called once a write was refused: the process stops dispatching and stands by. */
  refused(what: string): void;
}

/** A write refused because the lease epoch it was made under is no longer current. */
export class FencedOutError extends Error {
  constructor(
    readonly epoch: number,
    readonly what: string,
    current: { holder: string; epoch: number } | undefined,
  ) {
    super(
      `${what} refused: this Nucleus wrote under dispatcher lease epoch ${epoch}, but ${
        current ? `"${current.holder}" holds epoch ${current.epoch}` : 'the lease row is gone'
      }`,
    );
    this.name = 'FencedOutError';
  }
}

interface LeaseRow {
  holder: string;
  epoch: number;
}

/**
 * Whether `epoch` is still the lease's current one, checked inside the caller's transaction with a
 * share lock on the lease row: a takeover (which updates the row) waits until this transaction
 * ends, and a takeover that committed first is seen here, so no write commits after one.
 */
export async function currentLease(tx: Tx, epoch: number): Promise<LeaseRow | undefined | true> {
  const [row] = await tx.$queryRaw<LeaseRow[]>`
    SELECT holder, epoch FROM "DispatcherLease" WHERE name = ${LEASE_NAME} FOR SHARE`;
  return row?.epoch === epoch ? true : row;
}

export interface FencedDeps {
  readonly prisma: Db;
  readonly auditKey: string;
  readonly fence: LeaseFence;
}

/** What a refused write was about, for its audit row: the run's team chain, or the system chain. */
export interface FencedSubject {
  readonly teamId: string | null;
  readonly objectType: string;
  readonly objectId: string | null;
}

const REFUSED = Symbol('refused');

/**
 * Runs `write` in one transaction that first checks the lease epoch. When another process took the
 * lease since, nothing of `write` happens: the transaction records the refusal in the audit chain
 * instead, the term is told (it stands down), and FencedOutError is thrown.
 */
export async function fencedWrite<T>(
  deps: FencedDeps,
  what: string,
  subject: FencedSubject,
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  const { fence } = deps;
  let current: LeaseRow | undefined;
  const outcome = await deps.prisma.$transaction(async (tx): Promise<T | typeof REFUSED> => {
    const lease = await currentLease(tx, fence.epoch);
    if (lease === true) return write(tx);
    current = lease;
    await appendAudit(tx, deps.auditKey, {
      teamId: subject.teamId,
      actor: { ...DISPATCHER_ACTOR, label: `dispatcher ${fence.holder}` },
      meta: NO_REQUEST,
      action: 'dispatcher.fenced',
      objectType: subject.objectType,
      objectId: subject.objectId,
      after: {
        write: what,
        holder: fence.holder,
        epoch: fence.epoch,
        currentHolder: lease?.holder ?? null,
        currentEpoch: lease?.epoch ?? null,
      },
    });
    return REFUSED;
  });
  if (outcome !== REFUSED) return outcome;
  const error = new FencedOutError(fence.epoch, what, current);
  fence.refused(error.message);
  throw error;
}

/** A run's write: refusals go to the run's team chain. */
export function runSubject(run: { readonly id: string; readonly teamId: string }): FencedSubject {
  return { teamId: run.teamId, objectType: 'run', objectId: run.id };
}
