import type { Db } from '../db/create-db.ts';

export interface DispatcherLeaseOptions {
  readonly prisma: Db;
  /** This process' id in the lease row (and on the commands it sends). */
  readonly holder: string;
  /** How long a taken or renewed lease lasts without another renewal. Defaults to 15 s. */
  readonly ttlMs?: number;
  /** Called once each time this process takes the lease; `lost` is aborted when it no longer holds it. */
  readonly onLead: (lost: AbortSignal) => void;
  readonly log: (message: string) => void;
}

export interface DispatcherLease {
  isHeld(): boolean;
  /** Stops renewing and hands the lease back, so a standby takes over without waiting for expiry. */
  release(): Promise<void>;
}

const LEASE_NAME = 'dispatcher';

/**
 * One row in PostgreSQL (or PGlite) names the Nucleus process that dispatches. The holder renews it
 * every third of its lifetime; any other process takes it once it has expired. Expiry is judged by
 * the database clock, and a holder that could not renew in time gives up on its own clock first, so
 * two processes never both believe they hold it (barring a pause longer than the safety margin).
 */
export function startDispatcherLease(options: DispatcherLeaseOptions): DispatcherLease {
  const ttlMs = options.ttlMs ?? 15_000;
  const renewMs = Math.max(Math.floor(ttlMs / 3), 50);
  let lead: AbortController | undefined;
  /** Local time by which this process must have renewed, with a margin for the round trip. */
  let validUntil = 0;
  let stopped = false;
  let standingBy = false;
  let timer: NodeJS.Timeout | undefined;
  /** Fires when this process could not renew in time, even while a renewal query hangs. */
  let watchdog: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();

  async function tryTake(): Promise<boolean> {
    const asked = Date.now();
    const rows = await options.prisma.$queryRaw<Array<{ holder: string }>>`
      INSERT INTO "DispatcherLease" (name, holder, "acquiredAt", "expiresAt")
      VALUES (${LEASE_NAME}, ${options.holder}, now() AT TIME ZONE 'UTC',
              now() AT TIME ZONE 'UTC' + ${ttlMs} * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET
        holder = EXCLUDED.holder,
        "acquiredAt" = CASE WHEN "DispatcherLease".holder = EXCLUDED.holder
                            THEN "DispatcherLease"."acquiredAt" ELSE EXCLUDED."acquiredAt" END,
        "expiresAt" = EXCLUDED."expiresAt"
      WHERE "DispatcherLease".holder = EXCLUDED.holder
         OR "DispatcherLease"."expiresAt" < now() AT TIME ZONE 'UTC'
      RETURNING holder`;
    if (rows.length === 0) return false;
    validUntil = asked + ttlMs - renewMs;
    clearTimeout(watchdog);
    watchdog = setTimeout(() => lose('it could not renew the lease in time'), validUntil - Date.now());
    return true;
  }

  function lose(why: string): void {
    clearTimeout(watchdog);
    if (!lead) return;
    options.log(`this Nucleus lost the dispatcher lease (${why}); it stops dispatching and stands by`);
    lead.abort();
    lead = undefined;
  }

  async function step(): Promise<void> {
    let held = false;
    try {
      held = await tryTake();
    } catch (error) {
      options.log(`dispatcher lease not renewed: ${(error as Error).message}`);
      held = lead !== undefined && Date.now() < validUntil;
    }
    if (stopped) return;
    if (held && !lead) {
      lead = new AbortController();
      standingBy = false;
      options.log(`this Nucleus (${options.holder}) holds the dispatcher lease and dispatches`);
      options.onLead(lead.signal);
    } else if (!held && lead) {
      lose('another Nucleus took it after it expired');
    } else if (!held && !standingBy) {
      standingBy = true;
      options.log('another Nucleus holds the dispatcher lease: standing by to take over when it stops');
    }
  }

  function schedule(): void {
    if (stopped) return;
    pass = pass.then(step).finally(() => {
      if (!stopped) timer = setTimeout(schedule, renewMs);
    });
  }
  schedule();

  return {
    isHeld: () => lead !== undefined && Date.now() < validUntil,
    async release() {
      stopped = true;
      clearTimeout(timer);
      await pass;
      clearTimeout(watchdog);
      const held = lead !== undefined;
      lead?.abort();
      lead = undefined;
      if (!held) return;
      await options.prisma.dispatcherLease
        .deleteMany({ where: { name: LEASE_NAME, holder: options.holder } })
        .catch((error: unknown) => options.log(`dispatcher lease not released: ${(error as Error).message}`));
    },
  };
}
