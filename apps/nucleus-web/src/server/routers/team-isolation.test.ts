import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTeam } from '../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { type Caller, callerFor } from '../testing/trpc-caller.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

type Ids = Awaited<ReturnType<typeof seedTeam>>;

/** Every procedure that takes an object id, aimed at team B's objects. */
const PROBES: readonly { name: string; call(caller: Caller, slug: string, b: Ids): Promise<unknown> }[] = [
  { name: 'job.get', call: (c, slug, b) => c.job.get({ teamSlug: slug, jobId: b.jobId }) },
  {
    name: 'job.update',
    call: (c, slug, b) => c.job.update({ teamSlug: slug, jobId: b.jobId, concurrency: 2 }),
  },
  { name: 'job.delete', call: (c, slug, b) => c.job.delete({ teamSlug: slug, jobId: b.jobId }) },
  { name: 'job.run', call: (c, slug, b) => c.job.run({ teamSlug: slug, jobId: b.jobId }) },
  { name: 'run.get', call: (c, slug, b) => c.run.get({ teamSlug: slug, runId: b.queuedRunId }) },
  { name: 'run.files', call: (c, slug, b) => c.run.files({ teamSlug: slug, runId: b.failedRunId }) },
  {
    name: 'run.fileCounts',
    call: (c, slug, b) => c.run.fileCounts({ teamSlug: slug, runId: b.failedRunId }),
  },
  { name: 'run.failures', call: (c, slug, b) => c.run.failures({ teamSlug: slug, runId: b.failedRunId }) },
  { name: 'run.cancel', call: (c, slug, b) => c.run.cancel({ teamSlug: slug, runId: b.queuedRunId }) },
  { name: 'run.retry', call: (c, slug, b) => c.run.retry({ teamSlug: slug, runId: b.failedRunId }) },
  { name: 'star.get', call: (c, slug, b) => c.star.get({ teamSlug: slug, starId: b.starId }) },
  { name: 'star.drain', call: (c, slug, b) => c.star.drain({ teamSlug: slug, starId: b.starId }) },
  { name: 'star.remove', call: (c, slug, b) => c.star.remove({ teamSlug: slug, starId: b.starId }) },
  {
    name: 'joinToken.revoke',
    call: (c, slug, b) => c.joinToken.revoke({ teamSlug: slug, joinTokenId: b.joinTokenId }),
  },
  {
    name: 'apiToken.revoke',
    call: (c, slug, b) => c.apiToken.revoke({ teamSlug: slug, apiTokenId: b.apiTokenId }),
  },
  {
    name: 'invitation.revoke',
    call: (c, slug, b) => c.invitation.revoke({ teamSlug: slug, invitationId: b.invitationId }),
  },
  {
    name: 'member.updateRole',
    call: (c, slug, b) => c.member.updateRole({ teamSlug: slug, userId: b.other.id, role: 'owner' }),
  },
  { name: 'member.remove', call: (c, slug, b) => c.member.remove({ teamSlug: slug, userId: b.other.id }) },
  {
    name: 'job.create with a foreign Star',
    call: (c, slug, b) =>
      c.job.create({
        teamSlug: slug,
        name: 'steal',
        sourceStarId: b.starId,
        sourcePath: '/a',
        destinationPath: '/b',
      }),
  },
];

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('team isolation', () => {
  it.each(PROBES)('an owner of team A cannot reach team B’s objects through $name', async ({ call }) => {
    const a = await seedTeam(test, 'owner');
    const b = await seedTeam(test, 'owner');
    const caller = callerFor(test, a.user);
    const auditBefore = await test.db.auditLog.count({ where: { chain: b.team.id } });
    // Through their own team the ids do not exist; through B's slug they are not a member.
    expect(['NOT_FOUND', 'BAD_REQUEST']).toContain(await errorCode(call(caller, a.team.slug, b)));
    expect(await errorCode(call(caller, b.team.slug, b))).toBe('NOT_FOUND');
    expect(await test.db.auditLog.count({ where: { chain: b.team.id } })).toBe(auditBefore);
    expect(await test.db.job.count({ where: { id: b.jobId } })).toBe(1);
    expect(
      await test.db.star.findUniqueOrThrow({ where: { id: b.starId }, select: { lifecycle: true } }),
    ).toEqual({
      lifecycle: 'registered',
    });
  });

  it('answers a missing team and a team one is not in identically', async () => {
    const a = await seedTeam(test, 'owner');
    const b = await seedTeam(test, 'owner');
    const caller = callerFor(test, a.user);
    const messageOf = async (slug: string) => {
      try {
        await caller.job.list({ teamSlug: slug });
        return 'OK';
      } catch (error) {
        return error instanceof TRPCError
          ? `${error.code} ${error.message.replace(slug, '<slug>')}`
          : 'other';
      }
    };
    expect(await messageOf(b.team.slug)).toBe(await messageOf('no-such-team'));
  });

  it('lists only the caller’s team’s objects', async () => {
    const a = await seedTeam(test, 'viewer');
    await seedTeam(test, 'owner');
    const caller = callerFor(test, a.user);
    const jobs = await caller.job.list({ teamSlug: a.team.slug });
    expect(jobs.map((job) => job.name).sort()).toEqual(['broken', 'busy', 'idle']);
    const runs = await caller.run.list({ teamSlug: a.team.slug });
    expect(runs.map((run) => run.id).sort()).toEqual([a.queuedRunId, a.failedRunId].sort());
    const audit = await caller.audit.list({ teamSlug: a.team.slug });
    expect(audit.items.every((entry) => entry.objectId !== null || entry.action.length > 0)).toBe(true);
  });
});
