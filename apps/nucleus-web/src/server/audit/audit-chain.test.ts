import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../services/audit/verify-audit.ts';
import { createJob } from '../services/jobs/create-job.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY, teamContext } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { appendAudit } from './append-audit.ts';
import { verifyAuditChain } from './verify-chain.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

async function teamWithHistory(entries: number) {
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  const ctx = teamContext(test, owner, team, 'owner');
  for (let index = 0; index < entries; index += 1) {
    await createJob({
      ctx,
      input: { name: `job-${index}`, sourcePath: '/src', destinationPath: `/dst/${index}` },
    });
  }
  return { ctx, team };
}

describe('audit chain', () => {
  it('links every mutation of a team into a chain that verifies', async () => {
    const { ctx, team } = await teamWithHistory(3);
    const rows = await test.db.auditLog.findMany({ where: { chain: team.id }, orderBy: { seq: 'asc' } });
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prevHash).toBeNull();
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows.every((row) => row.action === 'job.create' && row.ip === '192.0.2.10')).toBe(true);
    expect(await verifyAudit({ ctx })).toEqual({ ok: true, checked: 3 });
  });

  it('detects a row tampered with by a superuser who disabled the trigger', async () => {
    const { ctx, team } = await teamWithHistory(3);
    const second = await test.db.auditLog.findFirstOrThrow({ where: { chain: team.id, seq: 2 } });
    await test.superuser(`
      ALTER TABLE "AuditLog" DISABLE TRIGGER audit_log_no_update_delete;
      UPDATE "AuditLog" SET "actorLabel" = 'someone-else' WHERE id = '${second.id}';
      ALTER TABLE "AuditLog" ENABLE TRIGGER audit_log_no_update_delete;`);
    expect(await verifyAudit({ ctx })).toEqual({ ok: false, checked: 1, firstBadId: second.id });
  });

  it('detects a deleted row in the middle of the chain', async () => {
    const { team } = await teamWithHistory(3);
    const second = await test.db.auditLog.findFirstOrThrow({ where: { chain: team.id, seq: 2 } });
    const third = await test.db.auditLog.findFirstOrThrow({ where: { chain: team.id, seq: 3 } });
    await test.superuser(`
      ALTER TABLE "AuditLog" DISABLE TRIGGER audit_log_no_update_delete;
      DELETE FROM "AuditLog" WHERE id = '${second.id}';
      ALTER TABLE "AuditLog" ENABLE TRIGGER audit_log_no_update_delete;`);
    expect(await verifyAuditChain(test.db, team.id, TEST_AUDIT_KEY)).toEqual({
      ok: false,
      checked: 1,
      firstBadId: third.id,
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const { team } = await teamWithHistory(1);
    await expect(
      test.superuser(`UPDATE "AuditLog" SET action = 'x' WHERE chain = $1`, [team.id]),
    ).rejects.toThrow(/append-only: UPDATE/);
    await expect(test.superuser(`DELETE FROM "AuditLog" WHERE chain = $1`, [team.id])).rejects.toThrow(
      /append-only: DELETE/,
    );
    await expect(test.superuser(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only: TRUNCATE/);
  });

  it('rolls back the audit row with a failing mutation, and the change with a failing audit write', async () => {
    const { ctx, team } = await teamWithHistory(1);
    // A duplicate name fails inside the transaction: no job and no audit row may remain.
    await expect(
      createJob({ ctx, input: { name: 'job-0', sourcePath: '/a', destinationPath: '/b' } }),
    ).rejects.toThrow();
    expect(await test.db.auditLog.count({ where: { chain: team.id } })).toBe(1);

    // The audit write fails after the change: the change must roll back with it.
    await expect(
      test.db.$transaction(async (tx) => {
        await tx.job.create({
          data: { teamId: team.id, name: 'half-written', sourcePath: '/a', destinationPath: '/b' },
        });
        await appendAudit(tx, '', {
          teamId: team.id,
          actor: ctx.actor,
          meta: ctx.meta,
          action: 'job.create',
          objectType: 'job',
          objectId: null,
        });
      }),
    ).rejects.toThrow(/audit key/);
    expect(await test.db.job.count({ where: { teamId: team.id, name: 'half-written' } })).toBe(0);
    expect(await test.db.auditLog.count({ where: { chain: team.id } })).toBe(1);
  });

  it('gives concurrent writers distinct, gapless sequence numbers', async () => {
    const { ctx, team } = await teamWithHistory(0);
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        createJob({
          ctx,
          input: { name: `parallel-${index}`, sourcePath: '/s', destinationPath: `/d/${index}` },
        }),
      ),
    );
    const seqs = (await test.db.auditLog.findMany({ where: { chain: team.id }, select: { seq: true } })).map(
      (row) => row.seq,
    );
    expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await verifyAudit({ ctx })).ok).toBe(true);
  });
});
