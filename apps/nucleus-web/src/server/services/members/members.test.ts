import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/password.ts';
import { createTeamWith, createUser, serviceContext, teamContext } from '../../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { acceptInvitation } from './accept-invitation.ts';
import { inviteMember } from './invite-member.ts';
import { listInvitations } from './list-invitations.ts';
import { removeMember } from './remove-member.ts';
import { revokeInvitation } from './revoke-invitation.ts';
import { updateMemberRole } from './update-member-role.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

async function ownedTeam() {
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  const ctx = teamContext(test, owner, team, 'owner');
  const { actor: _actor, ...publicCtx } = serviceContext(test, owner);
  return { owner, team, ctx, publicCtx };
}

describe('invitations', () => {
  it('lets a new user join with the link once, creating their account', async () => {
    const { team, ctx, publicCtx } = await ownedTeam();
    const invited = await inviteMember({
      ctx,
      input: { email: 'New.Person@Example.test', role: 'operator' },
    });
    expect(invited.acceptUrl).toContain(encodeURIComponent(invited.token));
    expect(invited.invitation).toMatchObject({ email: 'new.person@example.test', status: 'pending' });
    const stored = await test.db.invitation.findUniqueOrThrow({
      where: { id: invited.invitation.id },
      select: { tokenHash: true },
    });
    expect(stored.tokenHash).not.toContain(invited.token);

    const accepted = await acceptInvitation({
      ctx: publicCtx,
      input: { token: invited.token, name: 'New Person', password: 'a long enough password' },
    });
    expect(accepted).toEqual({ teamSlug: team.slug, email: 'new.person@example.test', newUser: true });
    const member = await test.db.membership.findFirstOrThrow({
      where: { teamId: team.id, user: { email: 'new.person@example.test' } },
      select: { role: true, user: { select: { passwordHash: true } } },
    });
    expect(member.role).toBe('operator');
    expect(member.user.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(
      acceptInvitation({
        ctx: publicCtx,
        input: { token: invited.token, name: 'Again', password: 'a long enough password' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('asks an existing user for their current password', async () => {
    const { team, ctx, publicCtx } = await ownedTeam();
    const existing = await createUser(test, await hashPassword('existing password!'));
    const invited = await inviteMember({ ctx, input: { email: existing.email, role: 'viewer' } });
    await expect(
      acceptInvitation({ ctx: publicCtx, input: { token: invited.token, password: 'not the password' } }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const accepted = await acceptInvitation({
      ctx: publicCtx,
      input: { token: invited.token, password: 'existing password!' },
    });
    expect(accepted.newUser).toBe(false);
    expect(await test.db.membership.count({ where: { teamId: team.id, userId: existing.id } })).toBe(1);
  });

  it('refuses revoked and expired links', async () => {
    const { ctx, publicCtx } = await ownedTeam();
    const revoked = await inviteMember({ ctx, input: { email: 'r@example.test', role: 'viewer' } });
    await revokeInvitation({ ctx, input: { invitationId: revoked.invitation.id } });
    const expired = await inviteMember({ ctx, input: { email: 'e@example.test', role: 'viewer' } });
    await test.db.invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    for (const token of [revoked.token, expired.token]) {
      await expect(
        acceptInvitation({ ctx: publicCtx, input: { token, name: 'x', password: 'a long enough password' } }),
      ).rejects.toMatchObject({ code: 'INVALID' });
    }
    expect((await listInvitations({ ctx })).map((invitation) => invitation.status).sort()).toEqual([
      'expired',
      'revoked',
    ]);
  });

  it('refuses to invite someone who is already a member', async () => {
    const { owner, ctx } = await ownedTeam();
    await expect(inviteMember({ ctx, input: { email: owner.email, role: 'viewer' } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('members', () => {
  it('never leaves a team without an owner', async () => {
    const { owner, ctx } = await ownedTeam();
    await expect(updateMemberRole({ ctx, input: { userId: owner.id, role: 'admin' } })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    await expect(removeMember({ ctx, input: { userId: owner.id } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('changes a role and removes a member, auditing both', async () => {
    const { team, ctx } = await ownedTeam();
    const member = await createUser(test);
    await test.db.membership.create({ data: { teamId: team.id, userId: member.id, role: 'viewer' } });
    expect(await updateMemberRole({ ctx, input: { userId: member.id, role: 'admin' } })).toMatchObject({
      role: 'admin',
    });
    await removeMember({ ctx, input: { userId: member.id } });
    expect(await test.db.membership.count({ where: { teamId: team.id, userId: member.id } })).toBe(0);
    const actions = await test.db.auditLog.findMany({
      where: { chain: team.id },
      orderBy: { seq: 'asc' },
      select: { action: true, before: true, after: true },
    });
    expect(actions).toEqual([
      { action: 'member.updateRole', before: { role: 'viewer' }, after: { role: 'admin' } },
      { action: 'member.remove', before: { email: member.email, role: 'admin' }, after: null },
    ]);
  });
});
