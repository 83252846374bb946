import type { Db } from '../db/create-db.ts';
import { createGridHub } from '../grid/grid-hub.ts';
import { TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import type { DispatchDeps } from './dispatch-deps.ts';
import { LEASE_NAME } from './lease-fence.ts';

/**
 * Dependencies for tests that call dispatcher steps directly under one lease term: no Star is
 * reached (a fresh hub) and no ticket is signed (no CA key).
 */
export function fencedTestDeps(options: {
  readonly db: Db;
  readonly epoch: number;
  readonly holder: string;
  readonly log?: (line: string) => void;
  readonly refused?: (reason: string) => void;
}): DispatchDeps {
  return {
    prisma: options.db,
    hub: createGridHub(),
    auditKey: TEST_AUDIT_KEY,
    caKey: undefined as unknown as CryptoKey,
    ticketTtlMs: 60_000,
    log: options.log ?? (() => undefined),
    fence: { epoch: options.epoch, holder: options.holder, refused: options.refused ?? (() => undefined) },
  };
}

/** The lease row of a term that holds the lease for a minute, for tests that write under `fencedTestDeps`. */
export async function holdTestLease(db: Db, term: { readonly epoch: number; readonly holder: string }) {
  const now = new Date();
  await db.dispatcherLease.create({
    data: { name: LEASE_NAME, ...term, acquiredAt: now, expiresAt: new Date(now.getTime() + 60_000) },
  });
}
