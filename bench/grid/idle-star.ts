/**
 * Idle memory of a real Star: a grid server on a fresh migrated database, `orbit-star join` with a
 * join token, then `orbit-star serve` (Deno, through scripts/star.mjs) left idle; its RSS from /proc.
 *   node --import tsx bench/grid/idle-star.ts <idle seconds>
 * Prints one JSON object.
 */
import 'reflect-metadata';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  type GridServer,
  startGridServer,
} from '../../apps/nucleus-web/src/server/grid/start-grid-server.ts';
import {
  type BenchDatabase,
  createBenchDatabase,
  createBenchTeam,
  createJoinToken,
} from './bench-database.ts';

const root = path.resolve(import.meta.dirname, '../..');
const starWrapper = path.join(root, 'scripts', 'star.mjs');
const idleSeconds = Number(process.argv[2] ?? '15');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message: string): void => console.error(`  idle-star: ${message}`);

/** The Deno process under the wrapper: the wrapper is Node, the Star is its only child. */
async function denoPid(wrapperPid: number): Promise<number> {
  const children = await readFile(`/proc/${wrapperPid}/task/${wrapperPid}/children`, 'utf8');
  const pid = Number(children.trim().split(/\s+/)[0]);
  if (!pid) throw new Error(`orbit-star's wrapper (pid ${wrapperPid}) has no child process`);
  return pid;
}

/**
 * VmRSS and VmHWM (peak) of a process, MiB, and how the RSS splits: anonymous memory (heaps, code,
 * buffers: what this Star alone costs) and file-backed pages (mostly the deno executable's own code,
 * shared by every Deno process on the machine and reclaimable by the kernel).
 */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number; anon: number; file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const mib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: mib('VmRSS'), peak: mib('VmHWM'), anon: mib('RssAnon'), file: mib('RssFile') };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const base = await mkdtemp(path.join(tmpdir(), 'orbit-grid-bench-idle-'));
let database: BenchDatabase | undefined;
let grid: GridServer | undefined;
let star: ChildProcess | undefined;
try {
  database = await createBenchDatabase(4, log);
  const { db } = database;
  grid = await startGridServer({
    prisma: db,
    auditKey: 'orbit-bench-audit-key-0123456789abcdef',
    stateDir: path.join(base, 'nucleus'),
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    dispatcher: false,
    log,
  });
  const token = await createJoinToken(db, await createBenchTeam(db));
  const data = path.join(base, 'data');
  await mkdir(data);
  const stateDir = path.join(base, 'star');
  const env = { ...process.env, INIT_CWD: base, NO_COLOR: '1' };
  log('orbit-star join…');
  const joined = await run(
    process.execPath,
    [
      starWrapper,
      'join',
      '--hub',
      `localhost:${grid.enrolPort}`,
      '--ca-pin',
      grid.caPin,
      '--token',
      token,
      '--state-dir',
      stateDir,
      '--allow',
      `${data}:rw`,
    ],
    { cwd: base, env },
  );
  const starId = /joined the grid as Star (\S+)/.exec(`${joined.stdout}${joined.stderr}`)?.[1];
  if (!starId)
    throw new Error(`orbit-star join did not say which Star it became:\n${joined.stdout}${joined.stderr}`);

  log('orbit-star serve…');
  star = spawn(process.execPath, [starWrapper, 'serve', '--config', path.join(stateDir, 'star.toml')], {
    cwd: base,
    env,
    stdio: 'ignore',
  });
  const live = grid;
  await waitFor('the Star to connect', () => live.hub.isConnected(starId));
  const pid = await denoPid(star.pid ?? 0);
  const connected = await memoryOf(pid);
  log(`connected; idle for ${idleSeconds} s…`);
  await sleep(idleSeconds * 1000);
  const idle = await memoryOf(pid);
  console.log(
    JSON.stringify({
      idleSeconds,
      connected: live.hub.isConnected(starId),
      connectedRssMiB: connected.rss,
      idleRssMiB: idle.rss,
      peakRssMiB: idle.peak,
      idleAnonMiB: idle.anon,
      idleFileBackedMiB: idle.file,
    }),
  );
} finally {
  if (star?.pid && star.exitCode === null) {
    const exited = new Promise((resolve) => star?.once('exit', resolve));
    star.kill('SIGTERM');
    await exited;
  }
  await grid?.stop();
  await database?.drop();
  await rm(base, { recursive: true, force: true });
}
