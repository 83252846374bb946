import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/password.ts';
import { createSlidingWindowLimiter } from '../../auth/sliding-window-limiter.ts';
import { createTeamWith, createUser, serviceContext } from '../../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { signInWithPassword } from './sign-in-with-password.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

const PASSWORD = 'correct horse battery';

async function setup() {
  const user = await createUser(test, await hashPassword(PASSWORD));
  const team = await createTeamWith(test, [{ user, role: 'owner' }]);
  const { actor: _actor, ...ctx } = serviceContext(test, user);
  const limiter = createSlidingWindowLimiter({ limit: 3, windowMs: 15 * 60_000 });
  return { user, team, ctx, limiter };
}

describe('sign-in with password', () => {
  it('accepts the right password, case-insensitively on the email', async () => {
    const { user, ctx, limiter } = await setup();
    const signedIn = await signInWithPassword({
      ctx,
      limiter,
      input: { email: user.email.toUpperCase(), password: PASSWORD },
    });
    expect(signedIn.id).toBe(user.id);
  });

  it('audits failures in the system chain and the user’s team chain', async () => {
    const { user, team, ctx, limiter } = await setup();
    await expect(
      signInWithPassword({ ctx, limiter, input: { email: user.email, password: 'wrong' } }),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const rows = await test.db.auditLog.findMany({
      where: { action: 'auth.signInFailed', objectId: user.id },
    });
    expect(rows.map((row) => row.chain).sort()).toEqual(['system', team.id].sort());
    expect(rows[0]?.ip).toBe('192.0.2.10');
  });

  it('rate-limits per email and IP, even for the right password, until the window passes', async () => {
    const { user, ctx, limiter } = await setup();
    for (let i = 0; i < 3; i += 1) {
      await expect(
        signInWithPassword({ ctx, limiter, input: { email: user.email, password: 'nope' } }),
      ).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    await expect(
      signInWithPassword({ ctx, limiter, input: { email: user.email, password: PASSWORD } }),
    ).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    const otherIp = { ...ctx, meta: { ...ctx.meta, ip: '203.0.113.9' } };
    expect(
      (await signInWithPassword({ ctx: otherIp, limiter, input: { email: user.email, password: PASSWORD } }))
        .id,
    ).toBe(user.id);
  });

  it('gives an unknown email the same answer as a wrong password', async () => {
    const { ctx, limiter } = await setup();
    await expect(
      signInWithPassword({ ctx, limiter, input: { email: 'nobody@example.test', password: PASSWORD } }),
    ).rejects.toThrow('Email or password is wrong');
  });
});
