import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueJoinToken } from '../services/join-tokens/issue-join-token.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY, teamContext } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { GridCommandError } from './grid-command-error.ts';
import {
  makeTempDir,
  runStar,
  type StarProcess,
  startStar,
  type TempDir,
  waitFor,
} from './grid-test-harness.ts';
import { type GridServer, startGridServer } from './start-grid-server.ts';

// A real Deno Star (scripts/star.mjs narrows its --allow-net from star.toml) told to push to a
// peer that is not loopback: refused until star.toml's [network] peers lists it. 0.0.0.0 is not a
// loopback name, yet Linux answers a dial to it locally: a closed port refuses at once, where a
// TEST-NET address left the Star's connect hanging past the suite's teardown.
const PEER = '0.0.0.0:9';

let test: TestDatabase;
let dir: TempDir;
let grid: GridServer;
let token: string;
const running: StarProcess[] = [];

beforeAll(async () => {
  test = await createTestDatabase();
  dir = await makeTempDir('peers');
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  token = (await issueJoinToken({ ctx: teamContext(test, owner, team, 'owner'), input: {} })).token;
  grid = await startGridServer({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    stateDir: path.join(dir.path, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    heartbeatIntervalMs: 300,
    dispatcher: false,
    log: () => undefined,
  });
});
afterAll(async () => {
  for (const star of running) star.kill();
  await Promise.all(running.map((star) => star.exited));
  await grid?.stop();
  await test?.drop();
  await dir?.remove();
});

async function serve(configFile: string, starId: string): Promise<StarProcess> {
  const star = startStar(['serve', '--config', configFile], dir.path);
  running.push(star);
  await waitFor('the Star to connect', async () => {
    if (star.child.exitCode !== null) throw new Error(`orbit-star serve exited:\n${star.output()}`);
    return grid.hub.isConnected(starId) ? true : undefined;
  });
  return star;
}

async function push(starId: string, data: string): Promise<unknown> {
  return grid.hub
    .sendCommand(
      starId,
      {
        pushChunks: {
          peerAddress: PEER,
          peerCertFingerprint: 'ab'.repeat(32),
          ticket: 'not-a-ticket',
          algorithm: 'HASH_ALGORITHM_BLAKE3',
          jobId: 'job-1',
          sourceRoot: data,
          files: ['a.txt'],
        },
      },
      { deadlineMs: 4000 },
    )
    .catch((error: unknown) => error);
}

describe('data-plane peers', () => {
  it('refuses a push to a peer outside [network] peers, then allows it once listed', async () => {
    const data = path.join(dir.path, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'a.txt'), 'peer test\n');
    const stateDir = path.join(dir.path, 'star');
    const configFile = path.join(stateDir, 'star.toml');
    const joined = await runStar(
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
        '--name',
        'sender',
        '--data-listen',
        '127.0.0.1:0',
        '--allow',
        `${data}:rw`,
      ],
      dir.path,
    );
    expect(joined.code, joined.output).toBe(0);
    const starId = /joined the grid as Star (\S+)/.exec(joined.output)?.[1] ?? '';

    const first = await serve(configFile, starId);
    const refused = await push(starId, data);
    expect(refused).toBeInstanceOf(GridCommandError);
    expect(refused).toMatchObject({ code: 'ERROR_CODE_PERMISSION_DENIED' });
    expect((refused as Error).message).toContain(`may not push to ${PEER}`);
    expect((refused as Error).message).toContain('[network] peers');
    expect((refused as GridCommandError).hint).toContain(`add "${PEER}"`);
    first.kill();
    await first.exited;

    const text = await readFile(configFile, 'utf8');
    expect(text).toMatch(/^peers = \[\s*\]$/m);
    await writeFile(configFile, text.replace(/^peers = \[\s*\]$/m, 'peers = ["0.0.0.0"]'));
    await waitFor('the old session to close', async () => (grid.hub.isConnected(starId) ? undefined : true));
    await serve(configFile, starId);
    const allowed = await push(starId, data);
    // Past the peer check and Deno's --allow-net: the push now fails only because nobody answers.
    expect(allowed).toBeInstanceOf(GridCommandError);
    expect((allowed as GridCommandError).code).not.toBe('ERROR_CODE_PERMISSION_DENIED');
    expect((allowed as Error).message).not.toMatch(/network|NotCapable|allow-net/);
  });
});
