import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
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
import { browseDirectory, countMatches } from './star-queries.ts';
import { type GridServer, type StartGridServerOptions, startGridServer } from './start-grid-server.ts';

const HEARTBEAT_MS = 300;

let test: TestDatabase;
let dir: TempDir;
let issueToken: () => Promise<string>;
const running: StarProcess[] = [];
const servers: GridServer[] = [];

beforeAll(async () => {
  test = await createTestDatabase();
  dir = await makeTempDir('agent');
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  const ctx = teamContext(test, owner, team, 'owner');
  issueToken = async () => (await issueJoinToken({ ctx, input: { name: 'lab-01' } })).token;
});
afterAll(async () => {
  for (const star of running) star.kill();
  for (const server of servers) await server.stop();
  await test?.drop();
  await dir?.remove();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startGrid(ports: Partial<StartGridServerOptions> = {}): Promise<GridServer> {
  const server = await startGridServer({
    prisma: test.db,
    auditKey: TEST_AUDIT_KEY,
    stateDir: path.join(dir.path, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    heartbeatIntervalMs: HEARTBEAT_MS,
    log: () => undefined,
    ...ports,
  });
  servers.push(server);
  return server;
}

async function starRow(starId: string) {
  return test.db.star.findUniqueOrThrow({
    where: { id: starId },
    select: {
      status: true,
      lifecycle: true,
      lastHeartbeatAt: true,
      load: true,
      allowedPaths: true,
      version: true,
    },
  });
}

describe('orbit-star against the grid server', () => {
  it('joins, serves, runs jailed commands, survives a Nucleus restart and goes offline when killed', async () => {
    const data = path.join(dir.path, 'data');
    await mkdir(path.join(data, 'photos'), { recursive: true });
    await writeFile(path.join(data, 'readme.txt'), 'hello grid\n');
    await writeFile(path.join(data, 'photos', 'a.raw'), Buffer.alloc(4096, 7));
    await writeFile(path.join(data, 'photos', 'b.raw'), Buffer.alloc(1000, 9));
    await writeFile(path.join(dir.path, 'outside.txt'), 'not for the grid');
    await symlink(path.join(dir.path, 'outside.txt'), path.join(data, 'leak'));
    let grid = await startGrid();
    const stateDir = path.join(dir.path, 'star');
    const configFile = path.join(stateDir, 'star.toml');
    const joinArgs = async (token: string, pin: string) => [
      'join',
      '--hub',
      `localhost:${grid.enrolPort}`,
      '--ca-pin',
      pin,
      '--token',
      token,
      '--state-dir',
      stateDir,
      '--name',
      'lab-01',
      '--data-listen',
      `127.0.0.1:${await freePort()}`,
      '--allow',
      `${data}:rw`,
    ];

    // A pin for another CA stops the join before the token is sent.
    const pinToken = await issueToken();
    const wrongPin = await runStar(await joinArgs(pinToken, `sha256:${'ab'.repeat(32)}`), dir.path);
    expect(wrongPin.code, wrongPin.output).toBe(2);
    expect(wrongPin.output).toMatch(/does not match --ca-pin/);
    expect(await test.db.joinToken.count({ where: { usedAt: { not: null } } })).toBe(0);

    const joined = await runStar(await joinArgs(pinToken, grid.caPin), dir.path);
    expect(joined.code, joined.output).toBe(0);
    const starId = /joined the grid as Star (\S+)/.exec(joined.output)?.[1] ?? '';
    expect((await stat(path.join(stateDir, 'star.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(configFile, 'utf8')).toContain(`id = "${starId}"`);

    const serve = startStar(['serve', '--config', configFile], dir.path);
    running.push(serve);
    const alive = async <T>(value: T | undefined): Promise<T | undefined> => {
      if (serve.child.exitCode !== null) throw new Error(`orbit-star serve exited:\n${serve.output()}`);
      return value;
    };
    await waitFor('the Star to connect', () => alive(grid.hub.isConnected(starId) ? true : undefined));
    const online = await waitFor('a heartbeat in the database', async () => {
      const row = await starRow(starId);
      return alive(row.load !== null && row.status === 'online' ? row : undefined);
    });
    expect(online.lifecycle).toBe('scheduled');
    expect(online.version).toBe('0.1.0');
    expect(online.load).toMatchObject({ cpuCores: expect.any(Number), memoryTotalBytes: expect.any(Number) });
    expect(online.allowedPaths).toEqual([
      { path: data, access: 'rw', freeBytes: expect.any(Number), totalBytes: expect.any(Number) },
    ]);

    const listing = await browseDirectory(grid.hub, starId, data);
    expect(listing.map((entry) => [entry.name, entry.kind])).toEqual([
      ['photos', 'directory'],
      ['leak', 'symlink'],
      ['readme.txt', 'file'],
    ]);
    expect(await countMatches(grid.hub, starId, data, ['*.raw'], ['b.raw'])).toEqual({
      files: 1,
      bytes: 4096,
      sample: ['photos/a.raw'],
    });
    const climbOut = await grid.hub
      .sendCommand(
        starId,
        { readHeader: { path: `${data}/../../etc/passwd`, offset: 0, length: 64 } },
        { deadlineMs: 20_000 },
      )
      .catch((error: unknown) => error);
    expect(climbOut).toBeInstanceOf(GridCommandError);
    expect(climbOut).toMatchObject({
      code: 'ERROR_CODE_PERMISSION_DENIED',
      path: `${data}/../../etc/passwd`,
    });
    await expect(browseDirectory(grid.hub, starId, '/etc')).rejects.toMatchObject({
      code: 'ERROR_CODE_PERMISSION_DENIED',
    });
    // A link out of the root is refused by the jail itself, not by a missing Deno permission.
    await expect(
      grid.hub.sendCommand(
        starId,
        { hashRange: { path: path.join(data, 'leak'), algorithm: 'HASH_ALGORITHM_SHA256' } },
        { deadlineMs: 20_000 },
      ),
    ).rejects.toMatchObject({ code: 'ERROR_CODE_PERMISSION_DENIED', path: path.join(data, 'leak') });
    expect(grid.hub.connectedStars().find((star) => star.starId === starId)?.deniedCommands).toBe(3);

    const status = await runStar(['status', '--config', configFile], dir.path);
    expect(status.code, status.output).toBe(0);
    expect(status.output).toContain(starId);
    expect(status.output).toMatch(/connected: the Nucleus accepts this Star/);

    const serialBefore = (await test.db.star.findUniqueOrThrow({ where: { id: starId } })).certSerial;
    const renewed = await runStar(['renew', '--config', configFile], dir.path);
    expect(renewed.code, renewed.output).toBe(0);
    const serialAfter = (await test.db.star.findUniqueOrThrow({ where: { id: starId } })).certSerial;
    expect(serialAfter).not.toBe(serialBefore);
    expect(renewed.output).toContain(`serial ${serialAfter}`);

    // The grid server restarts on the same ports with the same CA; the Star dials back by itself,
    // now presenting the renewed certificate (the old serial would be refused).
    const ports = { enrolPort: grid.enrolPort, controlPort: grid.controlPort };
    await grid.stop();
    grid = await startGrid(ports);
    await waitFor('the Star to reconnect', () => alive(grid.hub.isConnected(starId) ? true : undefined));
    const header = await grid.hub.sendCommand(
      starId,
      { readHeader: { path: path.join(data, 'readme.txt'), offset: 0, length: 5 } },
      { deadlineMs: 20_000 },
    );
    expect(Buffer.from(header.result.readHeader?.data ?? []).toString()).toBe('hello');

    // Draining: the Star confirms, new work is refused by the hub, read-only queries still answer.
    expect(await grid.hub.drain(starId, 20_000)).toEqual({ finishedCommands: 0 });
    await expect(
      grid.hub.sendCommand(
        starId,
        { verify: { path: path.join(data, 'readme.txt'), algorithm: 'HASH_ALGORITHM_SHA256' } },
        { deadlineMs: 20_000 },
      ),
    ).rejects.toMatchObject({ code: 'ERROR_CODE_FAILED_PRECONDITION' });
    expect((await browseDirectory(grid.hub, starId, data)).length).toBe(3);

    serve.kill();
    await serve.exited;
    const offline = await waitFor('the Star to be marked offline', async () => {
      const row = await starRow(starId);
      return row.status === 'offline' ? row : undefined;
    });
    expect(offline.status).toBe('offline');
    const offlineAudit = await test.db.auditLog.findFirst({
      where: { action: 'star.offline', objectId: starId },
      select: { after: true },
    });
    expect(offlineAudit?.after).toMatchObject({ status: 'offline' });
    expect(
      await test.db.auditLog.count({ where: { action: 'star.online', objectId: starId } }),
    ).toBeGreaterThan(0);
  });
});
