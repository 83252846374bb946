import { appendAudit } from '../audit/append-audit.ts';
import type { Db } from '../db/create-db.ts';
import { DISPATCHER_ACTOR, NO_REQUEST } from './dispatcher-actor.ts';
import { type LeaseClock, wallClock } from './lease-clock.ts';
import { LEASE_NAME } from './lease-fence.ts';

export interface DispatcherLeaseOptions {
  readonly prisma: Db;
  readonly auditKey: string;
  /** This process' id in the lease row (and on the commands it sends). */
  readonly holder: string;
  /** Where this process' grid control port is reached (host:port), told to Stars that dial a standby. */
  readonly gridAddress?: string;
  /** How long a taken or renewed lease lasts without another renewal. Defaults to 15 s. */
  readonly ttlMs?: number;
  /** Called once each time this process takes the lease; `lost` is aborted when it no longer holds it. */
  readonly onLead: (term: LeaseTerm) => void;
  readonly log: (message: string) => void;
  /** When to renew and when to give up; tests pass one they pause. */
  readonly clock?: LeaseClock;
}

/** One stretch of holding the lease: its fencing token and a signal for its end. */
export interface LeaseTerm {
  readonly epoch: number;
  readonly lost: AbortSignal;
}

/** The process the lease row names, as this process last read it. */
export interface LeaseHolder {
  readonly holder: string;
  readonly epoch: number;
  readonly gridAddress: string | null;
}

export interface DispatcherLease {
  isHeld(): boolean;
  /** A write under `epoch` was refused: another process holds the lease, so this term ends now. */
  fencedOut(epoch: number, reason: string): void;
  /** Stops renewing and hands the lease back, so a standby takes over without waiting for expiry. */
  release(): Promise<void>;
}

interface LeaseRow {
  holder: string;
  epoch: number;
  gridAddress: string | null;
  expired: boolean;
}

/**
 * One row in PostgreSQL (or PGlite) names the Nucleus process that dispatches. The holder renews it
 * every third of its lifetime; any other process takes it once it has expired. Expiry is judged by
 * the database clock, and a holder that could not renew in time gives up on its own clock first.
 * A holder paused past that margin may still believe it leads when it wakes: each take raises the
 * row's epoch, and every dispatcher write checks its term's epoch (`fencedWrite`), so such a
 * holder's writes are refused and it stands down.
 */
export function startDispatcherLease(options: DispatcherLeaseOptions): DispatcherLease {
  const ttlMs = options.ttlMs ?? 15_000;
  const renewMs = Math.max(Math.floor(ttlMs / 3), 50);
  const clock = options.clock ?? wallClock;
  let lead: { controller: AbortController; epoch: number } | undefined;
  /** This process' time by which it must have renewed, with a margin for the round trip. */
  let validUntil = 0;
  let stopped = false;
  let standingBy = false;
  let cancelTimer: (() => void) | undefined;
  /** Fires when this process could not renew in time, even while a renewal query hangs. */
  let cancelWatchdog: (() => void) | undefined;
  let pass: Promise<void> = Promise.resolve();

  /** Renews the term this process holds, or takes the lease with a new epoch; undefined: another holds it. */
  async function tryTake(): Promise<{ epoch: number } | undefined> {
    const asked = clock.now();
    const heldEpoch = lead?.epoch ?? -1;
    // The common case, renewing the term this process holds, is one statement.
    const renewed = lead
      ? await options.prisma.$executeRaw`
          UPDATE "DispatcherLease"
          SET "expiresAt" = now() AT TIME ZONE 'UTC' + ${ttlMs} * interval '1 millisecond'
          WHERE name = ${LEASE_NAME} AND holder = ${options.holder} AND epoch = ${heldEpoch}`
      : 0;
    const epoch = renewed === 1 ? heldEpoch : await take(heldEpoch);
    if (epoch === undefined) return undefined;
    validUntil = asked + ttlMs - renewMs;
    cancelWatchdog?.();
    cancelWatchdog = clock.after(validUntil - clock.now(), () =>
      lose('it could not renew the lease in time'),
    );
    return { epoch };
  }

  /** Takes the lease with a new epoch if it is free, expired or this process'; undefined: another holds it. */
  function take(heldEpoch: number): Promise<number | undefined> {
    return options.prisma.$transaction(async (tx) => {
      // The row exists from the first start on and is never deleted, so its epoch only grows.
      await tx.$executeRaw`
        INSERT INTO "DispatcherLease" (name, holder, epoch, "acquiredAt", "expiresAt")
        VALUES (${LEASE_NAME}, '', 0, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' - interval '1 millisecond')
        ON CONFLICT (name) DO NOTHING`;
      const [row] = await tx.$queryRaw<LeaseRow[]>`
        SELECT holder, epoch, "gridAddress", "expiresAt" < now() AT TIME ZONE 'UTC' AS expired
        FROM "DispatcherLease" WHERE name = ${LEASE_NAME} FOR UPDATE`;
      if (!row) throw new Error('the DispatcherLease row vanished inside its transaction');
      const renewing = row.holder === options.holder && row.epoch === heldEpoch;
      if (!renewing && row.holder !== options.holder && !row.expired) return undefined;
      const next = renewing ? row.epoch : row.epoch + 1;
      await tx.$executeRaw`
        UPDATE "DispatcherLease" SET
          holder = ${options.holder},
          epoch = ${next},
          "gridAddress" = ${options.gridAddress ?? null},
          "acquiredAt" = CASE WHEN ${renewing} THEN "acquiredAt" ELSE now() AT TIME ZONE 'UTC' END,
          "expiresAt" = now() AT TIME ZONE 'UTC' + ${ttlMs} * interval '1 millisecond'
        WHERE name = ${LEASE_NAME}`;
      if (!renewing) {
        // A new term is an operator-visible change: which process dispatches, and after whom.
        await appendAudit(tx, options.auditKey, {
          teamId: null,
          actor: { ...DISPATCHER_ACTOR, label: `dispatcher ${options.holder}` },
          meta: NO_REQUEST,
          action: 'dispatcher.lease_taken',
          objectType: 'dispatcher_lease',
          objectId: LEASE_NAME,
          before: { holder: row.holder || null, epoch: row.epoch, expired: row.expired },
          after: { holder: options.holder, epoch: next, gridAddress: options.gridAddress ?? null },
        });
      }
      return next;
    });
  }

  function lose(why: string): void {
    cancelWatchdog?.();
    if (!lead) return;
    options.log(`this Nucleus lost the dispatcher lease (${why}); it stops dispatching and stands by`);
    lead.controller.abort();
    lead = undefined;
  }

  async function step(): Promise<void> {
    let taken: { epoch: number } | undefined;
    try {
      taken = await tryTake();
    } catch (error) {
      options.log(`dispatcher lease not renewed: ${(error as Error).message}`);
      taken = lead && clock.now() < validUntil ? { epoch: lead.epoch } : undefined;
    }
    if (stopped) return;
    if (taken && lead && taken.epoch !== lead.epoch) lose(`its term ${lead.epoch} ended`);
    if (taken && !lead) {
      lead = { controller: new AbortController(), epoch: taken.epoch };
      standingBy = false;
      options.log(
        `this Nucleus (${options.holder}) holds the dispatcher lease (epoch ${taken.epoch}) and dispatches`,
      );
      options.onLead({ epoch: taken.epoch, lost: lead.controller.signal });
    } else if (!taken && lead) {
      lose('another Nucleus took it after it expired');
    } else if (!taken && !standingBy) {
      standingBy = true;
      options.log('another Nucleus holds the dispatcher lease: standing by to take over when it stops');
    }
  }

  function schedule(): void {
    if (stopped) return;
    pass = pass.then(step).finally(() => {
      if (!stopped) cancelTimer = clock.after(renewMs, schedule);
    });
  }
  schedule();

  return {
    isHeld: () => lead !== undefined && clock.now() < validUntil,
    fencedOut(epoch, reason) {
      if (lead?.epoch === epoch) lose(`a write was fenced off: ${reason}`);
    },
    async release() {
      stopped = true;
      cancelTimer?.();
      await pass;
      cancelWatchdog?.();
      const held = lead;
      held?.controller.abort();
      lead = undefined;
      if (!held) return;
      // Expire the row rather than delete it: the epoch must keep growing across holders.
      await options.prisma.$executeRaw`
          UPDATE "DispatcherLease" SET "expiresAt" = now() AT TIME ZONE 'UTC' - interval '1 millisecond'
          WHERE name = ${LEASE_NAME} AND holder = ${options.holder} AND epoch = ${held.epoch}`
        .then(() => undefined)
        .catch((error: unknown) => options.log(`dispatcher lease not released: ${(error as Error).message}`));
    },
  };
}

/** The live holder as the lease row says now, or undefined when the lease is free or expired. */
export async function currentHolder(prisma: Db): Promise<LeaseHolder | undefined> {
  const [row] = await prisma.$queryRaw<LeaseRow[]>`
    SELECT holder, epoch, "gridAddress", "expiresAt" < now() AT TIME ZONE 'UTC' AS expired
    FROM "DispatcherLease" WHERE name = ${LEASE_NAME}`;
  if (!row || row.expired || row.holder === '') return undefined;
  return { holder: row.holder, epoch: row.epoch, gridAddress: row.gridAddress };
}
