import { randomBytes } from 'node:crypto';
import type { Role } from '../auth/permissions.ts';
import { createEventBus, type EventBus } from '../events/event-bus.ts';
import type { ServiceContext, TeamContext } from '../services/service-context.ts';
import type { TestDatabase } from './test-database.ts';

export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789abcdef';

export interface TestUser {
  readonly id: string;
  readonly email: string;
}

export interface TestTeam {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Rows are inserted directly: fixtures must not depend on the services under test. */
export async function createUser(test: TestDatabase, passwordHash: string | null = null): Promise<TestUser> {
  const email = `${unique('user')}@example.test`;
  const user = await test.db.user.create({
    data: { email, name: email, passwordHash },
    select: { id: true, email: true },
  });
  return user;
}

export async function createTeamWith(
  test: TestDatabase,
  members: { user: TestUser; role: Role }[],
): Promise<TestTeam> {
  const slug = unique('team');
  return test.db.team.create({
    data: {
      slug,
      name: slug,
      memberships: { create: members.map(({ user, role }) => ({ userId: user.id, role })) },
    },
    select: { id: true, slug: true, name: true },
  });
}

export function serviceContext(
  test: TestDatabase,
  user: TestUser,
  events: EventBus = createEventBus(),
): ServiceContext {
  return {
    db: test.db,
    auditKey: TEST_AUDIT_KEY,
    events,
    actor: { type: 'user', id: user.id, label: user.email },
    meta: { ip: '192.0.2.10', userAgent: 'vitest' },
    publicUrl: 'http://nucleus.test',
    stars: null,
  };
}

export function teamContext(test: TestDatabase, user: TestUser, team: TestTeam, role: Role): TeamContext {
  return { ...serviceContext(test, user), team, role, userId: user.id };
}
