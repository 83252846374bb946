/**
 * The Nucleus side of the control-plane bench: a fresh migrated PostgreSQL database, the real grid
 * server, N Stars enrolled through the grid's own enrolment service (join token + CSR, no RPC),
 * and their Sessions driven from a child process (star-swarm.ts).
 *   node --import tsx bench/grid/nucleus-load.ts <stars> <heartbeat seconds> <commands>
 * Prints one JSON object: heartbeat handling and dispatch latencies, Nucleus RSS.
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { exportPrivateKeyPem, generateGridKeys } from '@orbit/engine/identity/grid-crypto';
import { createCsr } from '@orbit/engine/identity/star-csr';
import type { Db } from '../../apps/nucleus-web/src/server/db/create-db.ts';
import { enrolStar, type GridServiceContext } from '../../apps/nucleus-web/src/server/grid/enrol-star.ts';
import { loadGridCredentials } from '../../apps/nucleus-web/src/server/grid/grid-credentials.ts';
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
import type { SwarmConnected, SwarmLoopDelay, SwarmStar, SwarmStart } from './swarm-protocol.ts';

const [starCount, heartbeatSeconds, commandCount] = process.argv.slice(2).map(Number);
if (!starCount || !heartbeatSeconds || !commandCount) {
  console.error('usage: nucleus-load.ts <stars> <heartbeat seconds> <commands>');
  process.exit(2);
}
const HEARTBEAT_MS = 5000;
const AUDIT_KEY = 'orbit-bench-audit-key-0123456789abcdef';
const ENROL_CONCURRENCY = 4;
const DISPATCH_CONCURRENCY = 8;
const CONNECT_TIMEOUT_MS = 300_000;

const log = (message: string): void => console.error(`  nucleus-load: ${message}`);
let sessionFailures = 0;
/** The grid logs every failed Session with its stack: under a reconnect storm, show the first only. */
const gridLog = (message: string): void => {
  if (message.startsWith('grid session failed') && ++sessionFailures > 1) return;
  log(message);
};
const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pooled<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) await work(item, index);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Each Star as `orbit-star join` would make it: its own key, a CSR, a one-time join token. */
async function enrolStars(db: Db, ctx: GridServiceContext): Promise<SwarmStar[]> {
  const team = await createBenchTeam(db);
  const stars: SwarmStar[] = [];
  await pooled(
    Array.from({ length: starCount ?? 0 }, (_, index) => `bench-star-${String(index).padStart(4, '0')}`),
    ENROL_CONCURRENCY,
    async (name) => {
      const token = await createJoinToken(db, team);
      const keys = await generateGridKeys();
      const enrolled = await enrolStar(
        ctx,
        {
          token,
          csrPem: await createCsr({ starName: name, keys }),
          starName: name,
          version: '0.1.0',
          capabilities: [],
          allowedPaths: [],
        },
        { ip: '127.0.0.1', userAgent: null },
      );
      stars.push({
        starId: enrolled.starId,
        keyPem: await exportPrivateKeyPem(keys.privateKey),
        chainPem: enrolled.certificate.chainPem,
      });
    },
  );
  return stars;
}

/** Resolves when every simulated Star holds a Session; gives up after `timeoutMs`. */
function waitForSwarm(child: ChildProcess, timeoutMs: number): Promise<SwarmConnected> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the simulated Stars were not all connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code) => reject(new Error(`the simulated Stars exited with ${code}`)));
    child.on('message', (message: SwarmConnected | SwarmLoopDelay) => {
      if (message.type !== 'connected') return;
      clearTimeout(timer);
      resolve(message);
    });
  });
}

/**
 * Server-side heartbeat handling: the hub keeps each Star's last heartbeat (with the Star's send
 * time) and when its message was handled; sampled once a second, every heartbeat is seen once.
 */
function sampleHeartbeats(grid: GridServer, seen: Map<string, number>, latencies: number[]): void {
  for (const star of grid.hub.connectedStars()) {
    const sentAt = star.lastHeartbeat?.sentAtUnixMs;
    if (!sentAt || seen.get(star.starId) === sentAt) continue;
    seen.set(star.starId, sentAt);
    latencies.push(star.lastSeenAt.getTime() - sentAt);
  }
}

/** The simulated Stars' event-loop delay since the last ask. */
function swarmLoopDelay(child: ChildProcess): Promise<SwarmLoopDelay> {
  return new Promise((resolve) => {
    const listen = (message: SwarmConnected | SwarmLoopDelay): void => {
      if (message.type !== 'loop-delay') return;
      child.off('message', listen);
      resolve(message);
    };
    child.on('message', listen);
    child.send({ type: 'loop-delay' });
  });
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
async function cpuSecondsOf(pid: number | undefined): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Asks the simulated Stars to hang up, and kills them if they have not exited a few seconds later. */
async function stopSwarm(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const stateDir = await mkdtemp(path.join(tmpdir(), 'orbit-grid-bench-nucleus-'));
let database: BenchDatabase | undefined;
let grid: GridServer | undefined;
let swarm: ChildProcess | undefined;
try {
  database = await createBenchDatabase(10, log);
  const { db } = database;
  const credentials = await loadGridCredentials({ stateDir, publicHostname: '127.0.0.1' });
  log(`enrolling ${starCount} Stars…`);
  let started = performance.now();
  const stars = await enrolStars(db, { db, auditKey: AUDIT_KEY, ca: credentials.ca, now: () => new Date() });
  const enrolMs = performance.now() - started;

  grid = await startGridServer({
    prisma: db,
    auditKey: AUDIT_KEY,
    stateDir,
    enrolPort: 0,
    controlPort: 0,
    host: '127.0.0.1',
    publicHostname: '127.0.0.1',
    heartbeatIntervalMs: HEARTBEAT_MS,
    log: gridLog,
  });
  const rssIdle = process.memoryUsage().rss;
  log('connecting the simulated Stars…');
  swarm = fork(path.join(import.meta.dirname, 'star-swarm.ts'), [], { execArgv: ['--import', 'tsx'] });
  const start: SwarmStart = {
    type: 'start',
    controlPort: grid.controlPort,
    caPem: credentials.ca.certificatePem,
    heartbeatMs: HEARTBEAT_MS,
    stars,
  };
  started = performance.now();
  const connected = waitForSwarm(swarm, CONNECT_TIMEOUT_MS);
  swarm.send(start);
  const live = grid;
  const progress = setInterval(
    () => log(`${live.hub.connectedStars().length}/${stars.length} Sessions up`),
    5000,
  );
  const swarmReport = await connected.finally(() => clearInterval(progress));
  const connectMs = performance.now() - started;

  // One interval to settle: the reconnect storm's tail is not the steady state being measured.
  await sleep(HEARTBEAT_MS);
  log(`heartbeats for ${heartbeatSeconds} s…`);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpuBefore = process.cpuUsage();
  const swarmCpuBefore = await cpuSecondsOf(swarm.pid);
  await swarmLoopDelay(swarm);
  const phaseStarted = performance.now();
  const seen = new Map<string, number>();
  const heartbeatLatencies: number[] = [];
  let rssPeak = 0;
  for (let second = 0; second < (heartbeatSeconds ?? 0); second++) {
    await sleep(1000);
    sampleHeartbeats(grid, seen, heartbeatLatencies);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }

  loopDelay.disable();
  const swarmDelay = await swarmLoopDelay(swarm);
  const phaseS = (performance.now() - phaseStarted) / 1000;
  const cpuUsed = process.cpuUsage(cpuBefore);
  const load = {
    nucleusCpuPercent: Math.round(((cpuUsed.user + cpuUsed.system) / 1e6 / phaseS) * 100),
    swarmCpuPercent: Math.round((((await cpuSecondsOf(swarm.pid)) - swarmCpuBefore) / phaseS) * 100),
    loopDelayMs: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
    swarmLoopDelayMs: { p99: swarmDelay.p99Ms, max: swarmDelay.maxMs },
  };
  log(`dispatching ${commandCount} commands…`);
  const dispatchLatencies: number[] = [];
  const targets = Array.from(
    { length: commandCount ?? 0 },
    (_, index) => stars[index % stars.length]?.starId ?? '',
  );
  await pooled(targets, DISPATCH_CONCURRENCY, async (starId) => {
    const sent = performance.now();
    const outcome = await live.hub.sendCommand(
      starId,
      { readHeader: { path: '/srv/bench/header.bin', offset: 0, length: 64 } },
      { deadlineMs: 30_000, query: true },
    );
    dispatchLatencies.push(performance.now() - sent);
    if (!outcome.result.readHeader) throw new Error(`Star ${starId} answered without a ReadHeader result`);
  });
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const rssEnd = process.memoryUsage().rss;
  const online = await db.star.count({ where: { status: 'online' } });

  console.log(
    JSON.stringify({
      stars: starCount,
      online,
      enrolMs,
      connectMs,
      connectRetries: swarmReport.retries,
      sessionFailures,
      firstConnectError: swarmReport.firstError,
      heartbeatMs: percentiles(heartbeatLatencies),
      dispatchMs: percentiles(dispatchLatencies),
      rssMiB: { beforeStars: mib(rssIdle), peak: mib(rssPeak), end: mib(rssEnd) },
      heapUsedMiB: mib(process.memoryUsage().heapUsed),
      heartbeatPhase: load,
    }),
  );
} finally {
  await stopSwarm(swarm);
  await grid?.stop();
  await database?.drop();
  await rm(stateDir, { recursive: true, force: true });
}
