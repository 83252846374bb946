import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../audit/verify-chain.ts';
import { createEventBus, type TeamEvent } from '../events/event-bus.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { type ScheduleRuns, startScheduleRuns } from './schedule-runs.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

/** A job with `schedule`, last edited at `editedAt`, in a team of its own. */
async function scheduledJob(schedule: string, editedAt: string) {
  const user = await createUser(test);
  const team = await createTeamWith(test, [{ user, role: 'owner' }]);
  const job = await test.db.job.create({
    data: {
      teamId: team.id,
      name: 'nightly',
      sourcePath: '/data/in',
      destinationPath: '/data/out',
      schedule,
      updatedAt: new Date(editedAt),
    },
    select: { id: true },
  });
  return { teamId: team.id, jobId: job.id };
}

/** A scheduler whose clock the test sets; its own loop only runs the first pass. */
function scheduler(clock: { now: Date }) {
  const logs: string[] = [];
  const events: TeamEvent[] = [];
  const bus = createEventBus();
  let wakes = 0;
  const started: ScheduleRuns = startScheduleRuns({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    events: { ...bus, publish: (_teamId, event) => events.push(event) },
    onQueued: () => {
      wakes += 1;
    },
    intervalMs: 3_600_000,
    now: () => clock.now,
    log: (message) => logs.push(message),
  });
  return { started, logs, events, wakes: () => wakes };
}

async function runsOf(jobId: string) {
  return test.db.run.findMany({
    where: { jobId },
    orderBy: { queuedAt: 'asc' },
    select: { id: true, state: true, createdById: true },
  });
}

describe('startScheduleRuns', () => {
  it('queues a run once the schedule comes due, audited as the scheduler', async () => {
    const { teamId, jobId } = await scheduledJob('0 2 * * *', '2026-03-04T00:00:00Z');
    const clock = { now: new Date('2026-03-04T01:59:30Z') };
    const { started, events, wakes } = scheduler(clock);
    try {
      await started.check();
      expect(await runsOf(jobId)).toEqual([]);

      clock.now = new Date('2026-03-04T02:00:10Z');
      await started.check();
      await started.check();
      const runs = await runsOf(jobId);
      expect(runs).toEqual([{ id: expect.any(String), state: 'queued', createdById: null }]);
      expect(events).toContainEqual({ type: 'run.changed', id: runs[0]?.id });
      expect(wakes()).toBe(1);

      const audit = await test.db.auditLog.findFirst({
        where: { teamId, action: 'job.run', objectId: runs[0]?.id },
        select: { actorType: true, actorLabel: true, after: true },
      });
      expect(audit).toMatchObject({
        actorType: 'system',
        actorLabel: 'scheduler',
        after: { jobId, schedule: '0 2 * * *', dueAt: '2026-03-04T02:00:00.000Z' },
      });
      expect((await verifyAuditChain(test.db, teamId, TEST_AUDIT_KEY)).ok).toBe(true);
    } finally {
      await started.stop();
    }
  });

  it('does not fire for times before the schedule was set', async () => {
    const { jobId } = await scheduledJob('*/15 * * * *', '2026-03-04T10:20:00Z');
    const clock = { now: new Date('2026-03-04T10:29:00Z') };
    const { started } = scheduler(clock);
    try {
      await started.check();
      expect(await runsOf(jobId)).toEqual([]);
      clock.now = new Date('2026-03-04T10:30:00Z');
      await started.check();
      expect(await runsOf(jobId)).toHaveLength(1);
    } finally {
      await started.stop();
    }
  });

  it('queues one catch-up run after downtime, not one per missed fire', async () => {
    const { jobId } = await scheduledJob('0 * * * *', '2026-03-04T00:00:00Z');
    const clock = { now: new Date('2026-03-04T01:00:05Z') };
    const { started } = scheduler(clock);
    try {
      await started.check();
      const [first] = await runsOf(jobId);
      await test.db.run.update({ where: { id: first?.id ?? '' }, data: { state: 'succeeded' } });

      clock.now = new Date('2026-03-06T13:30:00Z');
      await started.check();
      await started.check();
      expect(await runsOf(jobId)).toHaveLength(2);
    } finally {
      await started.stop();
    }
  });

  it('survives a restart: a new scheduler does not fire the same due time again', async () => {
    const { jobId } = await scheduledJob('0 2 * * 1-5', '2026-03-06T00:00:00Z');
    const clock = { now: new Date('2026-03-09T02:00:30Z') };
    const before = scheduler(clock);
    await before.started.check();
    await before.started.stop();
    await test.db.run.updateMany({ where: { jobId }, data: { state: 'succeeded' } });

    const after = scheduler(clock);
    try {
      await after.started.check();
      expect(await runsOf(jobId)).toHaveLength(1);
      clock.now = new Date('2026-03-10T02:00:00Z');
      await after.started.check();
      expect(await runsOf(jobId)).toHaveLength(2);
    } finally {
      await after.started.stop();
    }
  });

  it('skips while a run of the job is active and says why once, then catches up', async () => {
    const { jobId } = await scheduledJob('30 * * * *', '2026-03-04T00:00:00Z');
    const clock = { now: new Date('2026-03-04T00:30:00Z') };
    const { started, logs } = scheduler(clock);
    try {
      await started.check();
      const [first] = await runsOf(jobId);
      await test.db.run.update({ where: { id: first?.id ?? '' }, data: { state: 'running' } });

      clock.now = new Date('2026-03-04T01:31:00Z');
      await started.check();
      await started.check();
      expect(await runsOf(jobId)).toHaveLength(1);
      const skips = logs.filter((line) => line.includes(jobId) && line.includes('skipped'));
      expect(skips).toEqual([expect.stringContaining('already has a running run')]);

      await test.db.run.update({ where: { id: first?.id ?? '' }, data: { state: 'succeeded' } });
      await started.check();
      expect(await runsOf(jobId)).toHaveLength(2);
    } finally {
      await started.stop();
    }
  });

  it('logs a schedule that can never fire and leaves the job alone', async () => {
    const { jobId } = await scheduledJob('0 0 30 2 *', '2026-01-01T00:00:00Z');
    const clock = { now: new Date('2026-12-31T00:00:00Z') };
    const { started, logs } = scheduler(clock);
    try {
      await started.check();
      await started.check();
      expect(await runsOf(jobId)).toEqual([]);
      expect(logs.filter((line) => line.includes(jobId))).toEqual([
        expect.stringContaining('never matches a real date'),
      ]);
    } finally {
      await started.stop();
    }
  });

  it('fires from its own loop on the injected interval', async () => {
    const { jobId } = await scheduledJob('* * * * *', '2026-03-04T00:00:00Z');
    const started = startScheduleRuns({
      prisma: test.db,
      auditKey: TEST_AUDIT_KEY,
      intervalMs: 10,
      now: () => new Date('2026-03-04T00:05:00Z'),
      log: () => {},
    });
    try {
      await vi.waitFor(async () => expect(await runsOf(jobId)).toHaveLength(1), { timeout: 10_000 });
    } finally {
      await started.stop();
    }
  });
});
