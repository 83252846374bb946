import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createEventBus, type EventBus } from '../events/event-bus.ts';
import { makeTempDir, type TempDir, waitFor } from '../grid/grid-test-harness.ts';
import { type GridServer, type StartGridServerOptions, startGridServer } from '../grid/start-grid-server.ts';
import { type CreateJobInput, createJob } from '../services/jobs/create-job.ts';
import { runJob } from '../services/jobs/run-job.ts';
import { issueJoinToken } from '../services/join-tokens/issue-join-token.ts';
import type { TeamContext } from '../services/service-context.ts';
import { createTeamWith, createUser, TEST_AUDIT_KEY, teamContext } from '../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { joinAndServe, type TestStar } from './grid-e2e-harness.ts';

export const MiB = 1024 * 1024;

export type JobInput = Omit<CreateJobInput, 'sourceStarId' | 'destinationStarId'> & {
  readonly from: TestStar;
  readonly to: TestStar;
};

/** A transfer started and caught in flight by `GridWorld.transferInFlight`. */
export interface InFlight {
  readonly runId: string;
  readonly jobId: string;
  /** The folder copied, under `from`'s root, and where it goes, under `to`'s root. */
  readonly source: string;
  readonly destination: string;
  /** Bytes of all its files. */
  readonly size: number;
}

export interface InFlightSpec {
  /** The folder's name under both Stars' roots (also the job's name unless `jobName` is given). */
  readonly name: string;
  readonly jobName?: string;
  readonly from: TestStar;
  readonly to: TestStar;
  /** Random files to write, name → bytes; the first is the one watched at the destination. */
  readonly files: Readonly<Record<string, number>>;
  /** Returns once the first file's temp copy at the destination holds this many bytes. */
  readonly receivedBytes: number;
  readonly compression?: string;
}

/**
 * One test file's grid: its own database and team, a grid server with the dispatcher, and two
 * joined Stars "alpha" and "beta", each with one read-write root.
 */
export interface GridWorld {
  readonly test: TestDatabase;
  readonly dir: TempDir;
  readonly ctx: TeamContext;
  /** The bus the grid server publishes on (what the SSE stream forwards to browsers). */
  readonly events: EventBus;
  readonly alpha: TestStar;
  readonly beta: TestStar;
  grid(): GridServer;
  job(input: JobInput): ReturnType<typeof createJob>;
  /**
   * Creates a job from alpha to beta; each call of the returned function queues a run of it and
   * resolves with the finished run (its id and row).
   */
  runner(name: string, fields: RunnerFields): Promise<() => Promise<RunRow & { readonly id: string }>>;
  /** Queues a run of the job and wakes the dispatcher; returns the run id. */
  queue(jobId: string): Promise<string>;
  /** Writes a source folder, queues a job copying it and returns once its first file is partly received. */
  transferInFlight(spec: InFlightSpec): Promise<InFlight>;
  runRow(runId: string): Promise<RunRow>;
  finished(runId: string, timeoutMs?: number): Promise<RunRow>;
  /** The run's pushes (GridCommand rows) in the order they were sent: one per attempt that pushed. */
  pushes(runId: string): Promise<{ state: string; error: string | null }[]>;
  /**
   * Stops the grid server and starts a new one on the same ports and CA (a Nucleus restart),
   * running `whileDown` in between.
   */
  restartNucleus(whileDown?: () => Promise<void>): Promise<void>;
  /**
   * A second Nucleus process on the same database and CA (its own ports), stopped by `close`;
   * its log lines go to `log`.
   */
  startStandby(log: (line: string) => void, dispatcher?: WorldDispatcher): Promise<GridServer>;
  close(): Promise<void>;
}

/** A copy or mirror between the world's Stars, as the transfer tests set one up. */
export interface RunnerFields {
  readonly source: string;
  readonly destination: string;
  readonly mode?: 'copy' | 'mirror';
  /** Sets the job's `delete` option (a mirror removes what the source lacks). */
  readonly del?: boolean;
  readonly exclude?: string[];
}

type WorldDispatcher = Exclude<StartGridServerOptions['dispatcher'], false | undefined>;

export interface GridWorldOptions {
  /** Dispatcher settings of the world's Nucleus (added to a 200 ms poll). */
  readonly dispatcher?: WorldDispatcher;
  readonly log?: (line: string) => void;
}

export async function createGridWorld(prefix: string, options: GridWorldOptions = {}): Promise<GridWorld> {
  const test = await createTestDatabase();
  const dir = await makeTempDir(prefix);
  const owner = await createUser(test);
  const team = await createTeamWith(test, [{ user: owner, role: 'owner' }]);
  const ctx = teamContext(test, owner, team, 'owner');
  const events = createEventBus();
  const startGrid = (
    ports: { enrolPort: number; controlPort: number },
    dispatcher: WorldDispatcher = options.dispatcher ?? {},
    log: (line: string) => void = options.log ?? (() => undefined),
  ) =>
    startGridServer({
      prisma: test.db,
      auditKey: TEST_AUDIT_KEY,
      events,
      stateDir: path.join(dir.path, 'nucleus'),
      ...ports,
      host: '127.0.0.1',
      publicHostname: '127.0.0.1',
      heartbeatIntervalMs: 300,
      dispatcher: { pollMs: 200, ...dispatcher },
      log,
    });
  const standbys: GridServer[] = [];
  let grid = await startGrid({ enrolPort: 0, controlPort: 0 });
  const token = async (name: string) => (await issueJoinToken({ ctx, input: { name } })).token;
  const alpha = await joinAndServe(grid, await token('alpha'), dir.path, 'alpha');
  const beta = await joinAndServe(grid, await token('beta'), dir.path, 'beta');

  const job: GridWorld['job'] = ({ from, to, ...fields }) =>
    createJob({ ctx, input: { ...fields, sourceStarId: from.id, destinationStarId: to.id } });
  const queue: GridWorld['queue'] = async (jobId) => {
    const run = await runJob({ ctx, input: { jobId } });
    grid.dispatcher?.wake();
    return run.id;
  };
  const finished: GridWorld['finished'] = (runId, timeoutMs = 60_000) =>
    waitFor(
      `run ${runId} to finish`,
      async () => {
        const row = await runRow(test, runId);
        return ['succeeded', 'failed', 'cancelled'].includes(row.state) ? row : undefined;
      },
      timeoutMs,
    );
  return {
    test,
    dir,
    ctx,
    events,
    alpha,
    beta,
    grid: () => grid,
    job,
    queue,
    async runner(name, { source, destination, mode, del, exclude }) {
      const created = await job({
        name,
        from: alpha,
        to: beta,
        sourcePath: source,
        destinationPath: destination,
        ...(mode ? { mode } : {}),
        ...(del ? { options: { delete: true } } : {}),
        ...(exclude ? { exclude } : {}),
      });
      return async () => {
        const id = await queue(created.id);
        return { id, ...(await finished(id)) };
      };
    },
    async transferInFlight(spec) {
      const source = path.join(spec.from.root, spec.name);
      const destination = path.join(spec.to.root, spec.name);
      let size = 0;
      for (const [file, bytes] of Object.entries(spec.files)) {
        await writeRandom(path.join(source, file), bytes);
        size += bytes;
      }
      const created = await job({
        name: spec.jobName ?? spec.name,
        from: spec.from,
        to: spec.to,
        sourcePath: source,
        destinationPath: destination,
        ...(spec.compression ? { compression: spec.compression } : {}),
      });
      const runId = await queue(created.id);
      const watched = Object.keys(spec.files)[0] ?? '';
      await partlyReceived(path.join(destination, watched), spec.receivedBytes);
      return { runId, jobId: created.id, source, destination, size };
    },
    runRow: (runId) => runRow(test, runId),
    pushes: (runId) =>
      test.db.gridCommand.findMany({
        where: { runId, kind: 'pushChunks' },
        orderBy: { issuedAt: 'asc' },
        select: { state: true, error: true },
      }),
    finished,
    async restartNucleus(whileDown) {
      const ports = { enrolPort: grid.enrolPort, controlPort: grid.controlPort };
      await grid.stop();
      await whileDown?.();
      grid = await startGrid(ports);
    },
    async startStandby(log, dispatcher = {}) {
      const standby = await startGrid({ enrolPort: 0, controlPort: 0 }, dispatcher, log);
      standbys.push(standby);
      return standby;
    },
    async close() {
      for (const star of [alpha, beta]) star.process.kill();
      for (const standby of standbys) await slowStep('stopping a standby Nucleus', standby.stop());
      await slowStep('stopping the Nucleus', grid.stop());
      await slowStep('dropping the test database', test.drop());
      await dir.remove();
    },
  };
}

type RunRow = Awaited<ReturnType<typeof runRow>>;

async function runRow(test: TestDatabase, runId: string) {
  return test.db.run.findUniqueOrThrow({
    where: { id: runId },
    select: {
      state: true,
      error: true,
      filesTotal: true,
      filesDone: true,
      bytesTotal: true,
      bytesDone: true,
      bytesWritten: true,
      checkpoints: true,
    },
  });
}

/** The push counters the dispatcher keeps on the run. */
export function transferOf(checkpoints: unknown): Record<string, number> {
  return (checkpoints as { transfer: Record<string, number> }).transfer;
}

export async function writeRandom(file: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, randomBytes(bytes));
}

/**
 * Waits until the receiving Star's resume journal records at least `bytes` of durable chunks, so a
 * kill after it leaves that much to resume from (the receiver checkpoints every 32 MiB).
 */
export function receiverCheckpointed(star: TestStar, bytes = 1): Promise<true> {
  return waitFor(`${star.id} to journal ${bytes} received bytes`, async () =>
    (await receiverJournalled(star)) >= bytes ? true : undefined,
  );
}

/** Bytes of chunks the receiving Star's resume journals record as durable (every file in flight). */
export async function receiverJournalled(star: TestStar): Promise<number> {
  const journals = path.join(path.dirname(star.configFile), 'data-plane');
  let bytes = 0;
  for (const name of await readdir(journals).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(path.join(journals, name), 'utf8').catch(() => '');
    // Lines are `<checksum> <json>`; a torn last line is what a resume would not trust either.
    for (const line of text.split('\n')) {
      const record = parsedJson(line.slice(line.indexOf(' ') + 1)) as
        | { t?: string; chunks?: [number, number, string][] }
        | undefined;
      if (record?.t === 'chunks') for (const [, length] of record.chunks ?? []) bytes += length;
    }
  }
  return bytes;
}

/** Bytes in the receiver's temp copy of `file` (0 when there is none). */
export async function partialSize(file: string): Promise<number> {
  return (await stat(partialOf(file)).catch(() => undefined))?.size ?? 0;
}

/** Waits until the receiver's temp file for `file` holds at least `bytes`: a transfer in flight. */
export function partlyReceived(file: string, bytes: number): Promise<true> {
  return waitFor(`${partialOf(file)} to hold ${bytes} bytes`, async () =>
    (await partialSize(file)) >= bytes ? true : undefined,
  );
}

function partialOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.orbit-partial`);
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Awaits a teardown step, saying on stderr which one it is if it takes long (for a hung CI run). */
async function slowStep(what: string, step: Promise<void>): Promise<void> {
  const warn = setTimeout(() => console.error(`grid world teardown: still ${what} after 20 s`), 20_000);
  try {
    await step;
  } finally {
    clearTimeout(warn);
  }
}
