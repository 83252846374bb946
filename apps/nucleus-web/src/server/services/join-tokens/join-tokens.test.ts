import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/secret-token.ts';
import { teamContext } from '../../testing/fixtures.ts';
import { seedTeam } from '../../testing/seed-team.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.ts';
import { issueJoinToken } from './issue-join-token.ts';
import { listJoinTokens } from './list-join-tokens.ts';
import { revokeJoinToken } from './revoke-join-token.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

describe('join tokens', () => {
  it('issues a token shown once, stored only as its hash, expiring after the TTL', async () => {
    const seeded = await seedTeam(test, 'admin');
    const ctx = teamContext(test, seeded.user, seeded.team, 'admin');
    const before = Date.now();
    const issued = await issueJoinToken({ ctx, input: { name: 'nas', ttlMinutes: 15 } });
    expect(issued.token).toMatch(/^orbj_[A-Za-z0-9_-]{43}$/);
    // Without grid endpoints no Star could join, so there is no command to show.
    expect(issued.joinCommand).toBeNull();
    const row = await test.db.joinToken.findUniqueOrThrow({
      where: { id: issued.joinToken.id },
      select: { tokenHash: true, expiresAt: true },
    });
    expect(row.tokenHash).toBe(hashToken(issued.token));
    expect(row.expiresAt.getTime() - before).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(row.expiresAt.getTime() - before).toBeLessThanOrEqual(15 * 60_000 + 60_000);
  });

  it('shows revoked, used and expired tokens with their status, and refuses to revoke a used one', async () => {
    const seeded = await seedTeam(test, 'admin');
    const ctx = teamContext(test, seeded.user, seeded.team, 'admin');
    const revoked = await issueJoinToken({ ctx, input: {} });
    const used = await issueJoinToken({ ctx, input: {} });
    const expired = await issueJoinToken({ ctx, input: {} });
    await revokeJoinToken({ ctx, input: { joinTokenId: revoked.joinToken.id } });
    await test.db.joinToken.update({
      where: { id: used.joinToken.id },
      data: { usedAt: new Date(), usedByStarId: seeded.starId },
    });
    await test.db.joinToken.update({
      where: { id: expired.joinToken.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await expect(revokeJoinToken({ ctx, input: { joinTokenId: used.joinToken.id } })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const statuses = Object.fromEntries(
      (await listJoinTokens({ ctx })).map((token) => [token.id, token.status]),
    );
    expect(statuses).toMatchObject({
      [revoked.joinToken.id]: 'revoked',
      [used.joinToken.id]: 'used',
      [expired.joinToken.id]: 'expired',
      [seeded.joinTokenId]: 'active',
    });
    const usedDto = (await listJoinTokens({ ctx })).find((token) => token.id === used.joinToken.id);
    expect(usedDto?.usedByStar).toEqual({ id: seeded.starId, name: 'star-1' });
  });
});
