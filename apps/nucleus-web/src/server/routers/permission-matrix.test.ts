import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, can, ROLES } from '../auth/permissions.ts';
import { type SeededTeam, seedTeam } from '../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { type Caller, callerFor } from '../testing/trpc-caller.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

const MANIFEST = `
[[job]]
name = "imported"
source = "/srv/in"
destination = "/srv/out"
`;

interface Case {
  readonly procedure: string;
  readonly action: Action;
  /** Whether a successful call writes an audit row. */
  readonly audited: boolean;
  /** The error code an allowed call ends with when success needs something absent (a live Star). */
  readonly allowedError?: string;
  call(caller: Caller, seeded: SeededTeam): Promise<unknown>;
}

/** Every mutation, plus the reads that need more than viewer. */
const CASES: readonly Case[] = [
  {
    procedure: 'team.updateSettings',
    action: 'team.updateSettings',
    audited: true,
    call: (c, s) => c.team.updateSettings({ teamSlug: s.team.slug, name: 'Renamed' }),
  },
  {
    procedure: 'member.invite',
    action: 'member.invite',
    audited: true,
    call: (c, s) => c.member.invite({ teamSlug: s.team.slug, email: 'new@example.test', role: 'viewer' }),
  },
  {
    procedure: 'member.updateRole',
    action: 'member.updateRole',
    audited: true,
    call: (c, s) => c.member.updateRole({ teamSlug: s.team.slug, userId: s.other.id, role: 'operator' }),
  },
  {
    procedure: 'member.remove',
    action: 'member.remove',
    audited: true,
    call: (c, s) => c.member.remove({ teamSlug: s.team.slug, userId: s.other.id }),
  },
  {
    procedure: 'invitation.list',
    action: 'invitation.read',
    audited: false,
    call: (c, s) => c.invitation.list({ teamSlug: s.team.slug }),
  },
  {
    procedure: 'invitation.revoke',
    action: 'invitation.revoke',
    audited: true,
    call: (c, s) => c.invitation.revoke({ teamSlug: s.team.slug, invitationId: s.invitationId }),
  },
  {
    procedure: 'star.drain',
    action: 'star.drain',
    audited: true,
    call: (c, s) => c.star.drain({ teamSlug: s.team.slug, starId: s.starId }),
  },
  {
    procedure: 'star.remove',
    action: 'star.remove',
    audited: true,
    call: (c, s) => c.star.remove({ teamSlug: s.team.slug, starId: s.starId }),
  },
  {
    procedure: 'star.browse',
    action: 'star.browse',
    audited: false,
    allowedError: 'SERVICE_UNAVAILABLE',
    call: (c, s) => c.star.browse({ teamSlug: s.team.slug, starId: s.starId, path: '/' }),
  },
  {
    procedure: 'joinToken.list',
    action: 'joinToken.read',
    audited: false,
    call: (c, s) => c.joinToken.list({ teamSlug: s.team.slug }),
  },
  {
    procedure: 'joinToken.issue',
    action: 'joinToken.issue',
    audited: true,
    call: (c, s) => c.joinToken.issue({ teamSlug: s.team.slug, name: 'laptop' }),
  },
  {
    procedure: 'joinToken.revoke',
    action: 'joinToken.revoke',
    audited: true,
    call: (c, s) => c.joinToken.revoke({ teamSlug: s.team.slug, joinTokenId: s.joinTokenId }),
  },
  {
    procedure: 'job.create',
    action: 'job.create',
    audited: true,
    call: (c, s) =>
      c.job.create({ teamSlug: s.team.slug, name: 'fresh', sourcePath: '/x', destinationPath: '/y' }),
  },
  {
    procedure: 'job.update',
    action: 'job.update',
    audited: true,
    call: (c, s) => c.job.update({ teamSlug: s.team.slug, jobId: s.jobId, concurrency: 8 }),
  },
  {
    procedure: 'job.delete',
    action: 'job.delete',
    audited: true,
    call: (c, s) => c.job.delete({ teamSlug: s.team.slug, jobId: s.jobId }),
  },
  {
    procedure: 'job.importManifest',
    action: 'job.import',
    audited: true,
    call: (c, s) => c.job.importManifest({ teamSlug: s.team.slug, toml: MANIFEST }),
  },
  {
    procedure: 'job.run',
    action: 'job.run',
    audited: true,
    call: (c, s) => c.job.run({ teamSlug: s.team.slug, jobId: s.jobId }),
  },
  {
    procedure: 'job.previewFilter',
    action: 'star.browse',
    audited: false,
    allowedError: 'SERVICE_UNAVAILABLE',
    call: (c, s) => c.job.previewFilter({ teamSlug: s.team.slug, starId: s.starId, path: '/' }),
  },
  {
    procedure: 'run.cancel',
    action: 'run.cancel',
    audited: true,
    call: (c, s) => c.run.cancel({ teamSlug: s.team.slug, runId: s.queuedRunId }),
  },
  {
    procedure: 'run.retry',
    action: 'run.retry',
    audited: true,
    call: (c, s) => c.run.retry({ teamSlug: s.team.slug, runId: s.failedRunId }),
  },
  {
    procedure: 'apiToken.list',
    action: 'apiToken.read',
    audited: false,
    call: (c, s) => c.apiToken.list({ teamSlug: s.team.slug }),
  },
  {
    procedure: 'apiToken.create',
    action: 'apiToken.create',
    audited: true,
    call: (c, s) => c.apiToken.create({ teamSlug: s.team.slug, name: 'deploy', role: 'viewer' }),
  },
  {
    procedure: 'apiToken.revoke',
    action: 'apiToken.revoke',
    audited: true,
    call: (c, s) => c.apiToken.revoke({ teamSlug: s.team.slug, apiTokenId: s.apiTokenId }),
  },
  {
    procedure: 'audit.verify',
    action: 'audit.verify',
    audited: false,
    call: (c, s) => c.audit.verify({ teamSlug: s.team.slug }),
  },
];

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe('permission matrix, enforced by the server', () => {
  const rows = CASES.flatMap((entry) => ROLES.map((role) => ({ ...entry, role })));
  it.each(rows)('$role → $procedure', async ({ role, action, audited, allowedError, call }) => {
    const seeded = await seedTeam(test, role);
    const auditRows = () => test.db.auditLog.count({ where: { chain: seeded.team.id } });
    const before = await auditRows();
    const result = await outcome(call(callerFor(test, seeded.user), seeded));
    if (can(role, action)) {
      expect(result).toBe(allowedError ?? 'OK');
      expect(await auditRows()).toBe(before + (audited && !allowedError ? 1 : 0));
    } else {
      expect(result).toBe('FORBIDDEN');
      expect(await auditRows()).toBe(before);
    }
  });

  it('refuses anonymous callers before anything else', async () => {
    const seeded = await seedTeam(test, 'owner');
    expect(await outcome(callerFor(test, null).job.list({ teamSlug: seeded.team.slug }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await outcome(callerFor(test, null).me.get())).toBe('UNAUTHORIZED');
  });
});
