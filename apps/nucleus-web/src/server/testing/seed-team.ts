import type { Role } from '../auth/permissions.ts';
import { generateToken, hashToken, tokenDisplayPrefix } from '../auth/secret-token.ts';
import { createTeamWith, createUser, type TestTeam, type TestUser } from './fixtures.ts';
import type { TestDatabase } from './test-database.ts';

export interface SeededTeam {
  readonly team: TestTeam;
  /** The member whose role is under test. */
  readonly user: TestUser;
  /** Another member (viewer) to change or remove. */
  readonly other: TestUser;
  readonly starId: string;
  readonly joinTokenId: string;
  readonly apiTokenId: string;
  readonly invitationId: string;
  /** A job with no runs and no dependents. */
  readonly jobId: string;
  readonly queuedRunId: string;
  /** Failed with one file done and one failed (and its dead letter). */
  readonly failedRunId: string;
}

/** A team with one of every object, the user under test holding `role`; all rows inserted directly. */
export async function seedTeam(test: TestDatabase, role: Role): Promise<SeededTeam> {
  const user = await createUser(test);
  const other = await createUser(test);
  const owner = role === 'owner' ? user : await createUser(test);
  const members = [
    { user, role },
    { user: other, role: 'viewer' as const },
    ...(owner === user ? [] : [{ user: owner, role: 'owner' as const }]),
  ];
  const team = await createTeamWith(test, members);
  const { db } = test;
  const star = await db.star.create({ data: { teamId: team.id, name: 'star-1' }, select: { id: true } });
  const joinToken = await db.joinToken.create({
    data: {
      teamId: team.id,
      tokenHash: hashToken(generateToken('join')),
      issuedById: owner.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
    select: { id: true },
  });
  const apiSecret = generateToken('api');
  const apiToken = await db.apiToken.create({
    data: {
      teamId: team.id,
      name: 'ci',
      role: 'viewer',
      tokenHash: hashToken(apiSecret),
      prefix: tokenDisplayPrefix(apiSecret),
      createdById: owner.id,
    },
    select: { id: true },
  });
  const invitation = await db.invitation.create({
    data: {
      teamId: team.id,
      email: `invitee-${team.slug}@example.test`,
      role: 'viewer',
      tokenHash: hashToken(generateToken('invitation')),
      invitedById: owner.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
    select: { id: true },
  });
  const job = await db.job.create({
    data: { teamId: team.id, name: 'idle', sourcePath: '/a', destinationPath: '/b' },
    select: { id: true },
  });
  const busy = await db.job.create({
    data: { teamId: team.id, name: 'busy', sourcePath: '/c', destinationPath: '/d' },
    select: { id: true },
  });
  const failedJob = await db.job.create({
    data: { teamId: team.id, name: 'broken', sourcePath: '/e', destinationPath: '/f' },
    select: { id: true },
  });
  const queuedRun = await db.run.create({ data: { teamId: team.id, jobId: busy.id }, select: { id: true } });
  const failedRun = await db.run.create({
    data: {
      teamId: team.id,
      jobId: failedJob.id,
      state: 'failed',
      finishedAt: new Date(),
      error: 'disk full',
      files: {
        create: [
          { path: 'a.bin', size: 10n, bytesDone: 10n, status: 'done' },
          { path: 'b.bin', size: 20n, status: 'failed', error: 'write: disk full' },
        ],
      },
      deadLetters: { create: [{ path: 'b.bin', error: 'write: disk full', attempts: 1 }] },
    },
    select: { id: true },
  });
  return {
    team,
    user,
    other,
    starId: star.id,
    joinTokenId: joinToken.id,
    apiTokenId: apiToken.id,
    invitationId: invitation.id,
    jobId: job.id,
    queuedRunId: queuedRun.id,
    failedRunId: failedRun.id,
  };
}
