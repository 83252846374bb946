import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/create-db.ts';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../db/embedded-database.ts';
import { migrateDeploy } from '../db/migrate-deploy.ts';
import { waitFor } from '../grid/grid-test-harness.ts';
import { TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { type DispatcherLease, startDispatcherLease } from './dispatcher-lease.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test?.drop());

interface Contender {
  readonly lease: DispatcherLease;
  readonly log: string[];
  /** Each term as holder: when it began and, once it ended, when. */
  readonly terms: Array<{ epoch: number; from: number; to?: number }>;
}

function contender(holder: string, ttlMs: number): Contender {
  const log: string[] = [];
  const terms: Contender['terms'] = [];
  const lease = startDispatcherLease({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    holder,
    ttlMs,
    log: (line) => log.push(line),
    onLead: ({ epoch, lost }) => {
      const term: { epoch: number; from: number; to?: number } = { epoch, from: Date.now() };
      terms.push(term);
      lost.addEventListener('abort', () => {
        term.to = Date.now();
      });
    },
  });
  return { lease, log, terms };
}

/**
 * Long enough that a renewal delayed by a loaded machine does not lapse the lease (it renews every
 * third of it); the tests wait for renewals to happen instead of sleeping for a number of periods.
 */
const STEADY_TTL_MS = 6000;

/** Resolves once the holder has renewed its row `times` more times (each renewal moves `expiresAt`). */
async function renewals(db: TestDatabase['db'], times: number): Promise<void> {
  const expiry = async (): Promise<number> =>
    (
      await db.dispatcherLease.findUniqueOrThrow({
        where: { name: 'dispatcher' },
        select: { expiresAt: true },
      })
    ).expiresAt.getTime();
  for (let seen = 0; seen < times; seen++) {
    const before = await expiry();
    await waitFor('the holder to renew its lease', async () =>
      (await expiry()) > before ? true : undefined,
    );
  }
}

/** The lease row as it stands, and the takeovers the audit chain recorded. */
async function leaseRow() {
  return test.db.dispatcherLease.findUniqueOrThrow({
    where: { name: 'dispatcher' },
    select: { holder: true, epoch: true },
  });
}

describe('dispatcher lease', () => {
  it('lets one process lead, keeps the other standing by, and hands over on release', async () => {
    await test.db.dispatcherLease.deleteMany({});
    const first = contender('first', STEADY_TTL_MS);
    await waitFor('the first process to lead', async () => (first.lease.isHeld() ? true : undefined));
    const second = contender('second', STEADY_TTL_MS);
    await waitFor('the second process to stand by', async () =>
      second.log.some((line) => line.includes('standing by')) ? true : undefined,
    );
    // Several renewals: the holder keeps its term, the standby never leads.
    await renewals(test.db, 2);
    expect(first.lease.isHeld()).toBe(true);
    expect(second.lease.isHeld()).toBe(false);
    expect(second.terms).toEqual([]);

    await first.lease.release();
    await waitFor('the second process to take over', async () => (second.lease.isHeld() ? true : undefined));
    // A renewal late under load may have ended a term and begun another: the last one counts.
    const firstTerm = first.terms.at(-1);
    const [secondTerm] = second.terms;
    expect(firstTerm?.to).toBeDefined();
    // The terms never overlap: the second began after the first ended.
    expect(secondTerm?.from).toBeGreaterThanOrEqual(firstTerm?.to ?? Number.POSITIVE_INFINITY);
    // Each take raises the fencing token; renewals (several happened above) do not.
    expect(secondTerm?.epoch).toBe((firstTerm?.epoch ?? 0) + 1);
    expect(await leaseRow()).toEqual({ holder: 'second', epoch: secondTerm?.epoch });
    const takes = await test.db.auditLog.findMany({
      where: { action: 'dispatcher.lease_taken', chain: 'system' },
      orderBy: { seq: 'asc' },
      select: { after: true },
    });
    expect(takes.map((row) => row.after)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ holder: 'first', epoch: firstTerm?.epoch }),
        expect.objectContaining({ holder: 'second', epoch: secondTerm?.epoch }),
      ]),
    );
    await second.lease.release();
    // Released, not deleted: the row keeps its epoch so the next holder's is higher still.
    expect(await leaseRow()).toEqual({ holder: 'second', epoch: secondTerm?.epoch });
    const third = contender('third', 600);
    await waitFor('a new holder after the release', async () => (third.lease.isHeld() ? true : undefined));
    expect(third.terms[0]?.epoch).toBe((secondTerm?.epoch ?? 0) + 1);
    await third.lease.release();
  });

  it('takes over from a holder that died without releasing once its lease expires', async () => {
    await test.db.dispatcherLease.deleteMany({});
    // A crashed process: its row stays until it expires, 1.5 s from now by the database clock.
    await test.superuser(
      `INSERT INTO "DispatcherLease" (name, holder, epoch, "acquiredAt", "expiresAt")
       VALUES ('dispatcher', 'crashed', 41, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' + interval '1500 milliseconds')`,
    );
    const started = Date.now();
    const heir = contender('heir', 600);
    await waitFor('the standby to take the expired lease', async () =>
      heir.lease.isHeld() ? true : undefined,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(heir.log.some((line) => line.includes('standing by'))).toBe(true);
    expect(heir.terms[0]?.epoch).toBe(42);
    await heir.lease.release();
  });

  it('stops leading when it cannot renew in time', async () => {
    await test.db.dispatcherLease.deleteMany({});
    const holder = contender('cut-off', STEADY_TTL_MS);
    await waitFor('the process to lead', async () => (holder.lease.isHeld() ? true : undefined));
    // Someone else holds the row now (e.g. this process paused past its expiry and another took it).
    await test.superuser(
      `UPDATE "DispatcherLease" SET holder = 'other', epoch = epoch + 1, "expiresAt" = now() AT TIME ZONE 'UTC' + interval '1 hour'`,
    );
    await waitFor('the process to stand down', async () => (holder.lease.isHeld() ? undefined : true));
    expect(holder.terms[0]?.to).toBeDefined();
    expect(holder.log.some((line) => line.includes('lost the dispatcher lease'))).toBe(true);
    await holder.lease.release();
    // Releasing what it no longer holds leaves the other holder's row alone.
    expect(await test.db.dispatcherLease.findMany({ select: { holder: true } })).toEqual([
      { holder: 'other' },
    ]);
    await test.superuser(`DELETE FROM "DispatcherLease"`);
  });
});

describe('dispatcher lease on embedded PGlite', () => {
  it('deploys with the migrations and is taken, kept and released the same way', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'orbit-lease-pglite-'));
    const embedded = await startEmbeddedDatabase({ dataDir });
    const db = createDb({ url: embedded.url, poolSize: EMBEDDED_POOL_SIZE });
    try {
      await migrateDeploy(path.resolve(import.meta.dirname, '../../../../..'), embedded.url);
      const log: string[] = [];
      const lease = startDispatcherLease({
        prisma: db,
        auditKey: TEST_AUDIT_KEY,
        holder: 'embedded',
        ttlMs: STEADY_TTL_MS,
        log: (line) => log.push(line),
        onLead: () => undefined,
      });
      await waitFor('the embedded Nucleus to lead', async () => (lease.isHeld() ? true : undefined));
      await renewals(db, 1);
      expect(lease.isHeld()).toBe(true);
      expect(await db.dispatcherLease.findMany({ select: { holder: true, epoch: true } })).toEqual([
        { holder: 'embedded', epoch: 1 },
      ]);
      await lease.release();
      // Released: the row stays (its epoch must keep growing) but has expired.
      const row = await db.dispatcherLease.findUniqueOrThrow({
        where: { name: 'dispatcher' },
        select: { expiresAt: true },
      });
      expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(log.filter((line) => line.includes('lost'))).toEqual([]);
    } finally {
      await db.$disconnect();
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
