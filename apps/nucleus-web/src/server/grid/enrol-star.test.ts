import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueJoinToken } from '../services/join-tokens/issue-join-token.ts';
import {
  createTeamWith,
  createUser,
  TEST_AUDIT_KEY,
  type TestTeam,
  teamContext,
} from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { makeTempDir, runStar, type TempDir } from './grid-test-harness.ts';
import { type GridServer, startGridServer } from './start-grid-server.ts';

// Real `orbit-star join` processes (Deno, through scripts/star.mjs) against a real grid server.
let test: TestDatabase;
let dir: TempDir;
let grid: GridServer;
let team: TestTeam;
let issueToken: (name?: string) => Promise<{ id: string; token: string }>;
let joins = 0;

beforeAll(async () => {
  test = await createTestDatabase();
  dir = await makeTempDir('enrol-name');
  const owner = await createUser(test);
  team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  const ctx = teamContext(test, owner, team, 'owner');
  issueToken = async (name) => {
    const issued = await issueJoinToken({ ctx, input: name ? { name } : {} });
    return { id: issued.joinToken.id, token: issued.token };
  };
  grid = await startGridServer({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    stateDir: path.join(dir.path, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    dispatcher: false,
    log: () => undefined,
  });
});
afterAll(async () => {
  await grid?.stop();
  await test?.drop();
  await dir?.remove();
});

/** `orbit-star join` in a fresh state directory; `name` undefined joins without --name. */
async function join(token: string, name: string | undefined) {
  joins += 1;
  const stateDir = path.join(dir.path, `star-${joins}`);
  return runStar(
    [
      'join',
      '--hub',
      `localhost:${grid.enrolPort}`,
      '--ca-pin',
      grid.caPin,
      '--token',
      token,
      '--state-dir',
      stateDir,
      '--data-listen',
      '127.0.0.1:0',
      '--allow',
      `${dir.path}:ro`,
      ...(name === undefined ? [] : ['--name', name]),
    ],
    dir.path,
  );
}

async function tokenUsed(id: string): Promise<boolean> {
  return (
    (await test.db.joinToken.findUniqueOrThrow({ where: { id }, select: { usedAt: true } })).usedAt !== null
  );
}

async function refusals() {
  const rows = await test.db.auditLog.findMany({
    where: { action: 'star.join.refused', teamId: team.id },
    select: { after: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => row.after);
}

describe('the Star names itself', () => {
  it('a named token admits only that name; a refusal names both, is audited and leaves the token unspent', async () => {
    // The join command shown for a named token passes the name, shell-quoted when needed.
    expect(grid.joinCommand('orbj_x', 'nas-01')).toMatch(/ --token orbj_x --name nas-01$/);
    expect(grid.joinCommand('orbj_x', "bob's nas")).toMatch(/ --name 'bob'\\''s nas'$/);
    expect(grid.joinCommand('orbj_x', null)).toMatch(/ --token orbj_x$/);
    // A token can only be bound to a name a Star may take.
    await expect(issueToken('My NAS!')).rejects.toThrow(/must be a Star name/);
    const named = await issueToken('nas-01');
    const wrong = await join(named.token, 'nas-02');
    expect(wrong.code, wrong.output).toBe(2);
    expect(wrong.output).toContain('this join token is for a Star named "nas-01"');
    expect(wrong.output).toContain('this Star asks to be "nas-02"');
    expect(wrong.output).toContain('--name "nas-01"');
    expect(wrong.output).toContain('the join token is still valid');
    expect(await tokenUsed(named.id)).toBe(false);
    expect(await refusals()).toContainEqual(
      expect.objectContaining({ reason: 'name-mismatch', tokenName: 'nas-01', requestedName: 'nas-02' }),
    );

    const right = await join(named.token, 'nas-01');
    expect(right.code, right.output).toBe(0);
    expect(await tokenUsed(named.id)).toBe(true);
    const star = await test.db.star.findFirstOrThrow({ where: { teamId: team.id, name: 'nas-01' } });
    expect(right.output).toContain(`joined the grid as Star ${star.id}`);
  });

  it('a token without a name takes the Star’s --name, or its host name', async () => {
    const chosen = await join((await issueToken()).token, 'lab-02');
    expect(chosen.code, chosen.output).toBe(0);
    expect(await test.db.star.count({ where: { teamId: team.id, name: 'lab-02' } })).toBe(1);

    const host = hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 63);
    const byHost = await join((await issueToken()).token, undefined);
    expect(byHost.code, byHost.output).toBe(0);
    expect(await test.db.star.count({ where: { teamId: team.id, name: host } })).toBe(1);
  });

  it('refuses a name another Star of the team already has, audited, token unspent', async () => {
    const first = await join((await issueToken()).token, 'twin');
    expect(first.code, first.output).toBe(0);
    const twin = await test.db.star.findFirstOrThrow({ where: { teamId: team.id, name: 'twin' } });
    const second = await issueToken();
    const taken = await join(second.token, 'twin');
    expect(taken.code, taken.output).toBe(2);
    expect(taken.output).toContain('a Star named "twin" already exists in this team');
    expect(taken.output).toMatch(/another --name, or remove that Star/);
    expect(taken.output).toContain('the join token is still valid');
    expect(await tokenUsed(second.id)).toBe(false);
    expect(await refusals()).toContainEqual(
      expect.objectContaining({ reason: 'name-taken', requestedName: 'twin', takenByStarId: twin.id }),
    );
    // The first Star keeps its identity: nothing was re-issued to the second.
    expect(
      await test.db.star.findUniqueOrThrow({ where: { id: twin.id }, select: { certSerial: true } }),
    ).toEqual({
      certSerial: twin.certSerial,
    });
  });
});
