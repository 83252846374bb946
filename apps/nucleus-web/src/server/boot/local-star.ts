import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/create-db.ts';
import type { GridServer } from '../grid/start-grid-server.ts';
import { eventBus } from '../runtime.ts';
import { issueJoinToken } from '../services/join-tokens/issue-join-token.ts';
import type { TeamContext } from '../services/service-context.ts';

export interface LocalStarOptions {
  readonly root: string;
  readonly dataDir: string;
  readonly db: Db;
  readonly auditKey: string;
  readonly publicUrl: string;
  readonly grid: GridServer;
  /** The name in the grid's server certificate (the Star dials localhost but checks this name). */
  readonly gridHostname: string;
  /** `PATH:ro|rw` roots the Star may touch. */
  readonly allow: readonly string[];
  readonly dataPort: number;
  readonly log: (line: string) => void;
}

export interface LocalStar {
  stop(): Promise<void>;
}

const LOCAL_STAR_NAME = 'local';

function starCli(root: string, args: readonly string[], log: (line: string) => void): ChildProcess {
  // Detached: the wrapper and its Deno child form one process group that stop() ends together.
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'star.mjs'), ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`[orbit local star] ${line}`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  return child;
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/** Enrols this machine's Star in the first team with a fresh join token, exactly like an admin would. */
async function join(options: LocalStarOptions, stateDir: string): Promise<boolean> {
  const team = await options.db.team.findFirst({
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      slug: true,
      name: true,
      memberships: { where: { role: 'owner' }, select: { userId: true }, take: 1 },
    },
  });
  const ownerId = team?.memberships[0]?.userId;
  if (!team || !ownerId) {
    options.log('[orbit] no team with an owner yet: the local Star joins on the next start');
    return false;
  }
  const ctx: TeamContext = {
    db: options.db,
    auditKey: options.auditKey,
    events: eventBus(),
    actor: { type: 'system', id: null, label: 'quick start' },
    meta: { ip: null, userAgent: null },
    publicUrl: options.publicUrl,
    stars: null,
    team: { id: team.id, slug: team.slug, name: team.name },
    role: 'owner',
    userId: ownerId,
  };
  const { token } = await issueJoinToken({ ctx, input: { name: LOCAL_STAR_NAME, ttlMinutes: 10 } });
  for (const root of options.allow) {
    const [dir, access] = [root.replace(/:(ro|rw)$/, ''), root.endsWith(':rw') ? 'rw' : 'ro'];
    if (access === 'rw') await mkdir(dir, { recursive: true });
  }
  const args = [
    'join',
    '--hub',
    `localhost:${options.grid.enrolPort}`,
    '--server-name',
    options.gridHostname,
    '--ca-pin',
    options.grid.caPin,
    '--token',
    token,
    '--name',
    LOCAL_STAR_NAME,
    '--state-dir',
    stateDir,
    '--data-listen',
    `127.0.0.1:${options.dataPort}`,
    ...options.allow.flatMap((root) => ['--allow', root]),
  ];
  return (await exitCode(starCli(options.root, args, options.log))) === 0;
}

/**
 * The quick start's own Star: joined once (its key and certificate live in the data folder), then
 * served as a child process for as long as the Nucleus runs.
 */
export async function startLocalStar(options: LocalStarOptions): Promise<LocalStar | null> {
  const stateDir = path.join(options.dataDir, 'local-star');
  const configFile = path.join(stateDir, 'star.toml');
  if (!existsSync(configFile)) {
    options.log(`[orbit] joining this machine as Star "${LOCAL_STAR_NAME}" (${options.allow.join(', ')})…`);
    if (!(await join(options, stateDir))) {
      options.log(
        '[orbit] the local Star could not join (see above); add Stars from the Agents page instead',
      );
      return null;
    }
  }
  const serve = starCli(options.root, ['serve', '--config', configFile], options.log);
  return {
    async stop() {
      if (serve.pid === undefined || serve.exitCode !== null) return;
      const exited = exitCode(serve);
      try {
        process.kill(-serve.pid, 'SIGTERM');
      } catch {
        return;
      }
      await exited;
    },
  };
}
