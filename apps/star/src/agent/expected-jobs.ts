import { mkdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { writePrivateFile } from '@orbit/engine/files/private-file';
import { CommandRefusal } from './command-error.ts';

/**
 * How long a prepared job stays expected after the Nucleus prepared it or its sender last
 * connected: as long as the Nucleus lets one push run (its deadline), so a push that outlives a
 * restart of this Star is still received, and a job nobody pushes any more is forgotten.
 */
export const EXPECTED_JOB_TTL_MS = 24 * 60 * 60_000;

/** A job this Star was told to receive (PrepareReceive): where its tickets may write, and until when. */
export interface ExpectedJob {
  readonly path: string;
  /** Received chunks go into the archive store at `path`. */
  readonly archive?: boolean;
  /** Unix ms after which a sender of this job is refused until the Nucleus prepares it again. */
  readonly until: number;
}

/** `<stateDir>/data-plane/expected-jobs.json`: job id → ExpectedJob. */
export function expectedJobsFile(stateDir: string): string {
  return posix.join(stateDir, 'data-plane', 'expected-jobs.json');
}

/**
 * The jobs this Star receives, kept in its state dir so a restarted Star still accepts the senders
 * that resume them (their tickets are checked as always). Expired entries are dropped on load and
 * on every write.
 */
export class ExpectedJobs {
  readonly #file: string;
  readonly #jobs: Map<string, ExpectedJob>;
  readonly #now: () => number;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, jobs: Map<string, ExpectedJob>, now: () => number) {
    this.#file = file;
    this.#jobs = jobs;
    this.#now = now;
  }

  static async load(stateDir: string, now: () => number = Date.now): Promise<ExpectedJobs> {
    const file = expectedJobsFile(stateDir);
    const jobs = new Map(Object.entries(await readExpected(file)).filter(([, job]) => job.until > now()));
    return new ExpectedJobs(file, jobs, now);
  }

  /** The job while it is expected. */
  get(jobId: string): ExpectedJob | undefined {
    const job = this.#jobs.get(jobId);
    return job && job.until > this.#now() ? job : undefined;
  }

  /** Whether a sender may still come for a job (an archive's store reopens from its run journal). */
  awaitsSenders(): boolean {
    return [...this.#jobs.keys()].some((jobId) => this.get(jobId) !== undefined);
  }

  /** The Nucleus prepared `jobId` for `path`: expected from now for EXPECTED_JOB_TTL_MS. */
  expect(jobId: string, job: { readonly path: string; readonly archive: boolean }): Promise<void> {
    this.#jobs.set(jobId, { ...job, until: this.#now() + EXPECTED_JOB_TTL_MS });
    return this.#save();
  }

  /** A sender of `jobId` was admitted: the job stays expected while its pushes go on. */
  admitted(jobId: string): Promise<void> {
    const job = this.get(jobId);
    if (!job) return Promise.resolve();
    this.#jobs.set(jobId, { ...job, until: this.#now() + EXPECTED_JOB_TTL_MS });
    return this.#save();
  }

  /** Writes go one after another, each with the map as it is then. */
  #save(): Promise<void> {
    const write = async () => {
      const now = this.#now();
      for (const [jobId, job] of this.#jobs) if (job.until <= now) this.#jobs.delete(jobId);
      await mkdir(posix.dirname(this.#file), { recursive: true });
      await writePrivateFile(this.#file, JSON.stringify(Object.fromEntries(this.#jobs)));
    };
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }
}

/** A damaged file is reported, not reset: it says which jobs a sender may resume. */
async function readExpected(file: string): Promise<Record<string, ExpectedJob>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed) : undefined;
  if (!entries) return damaged();
  const jobs: Record<string, ExpectedJob> = {};
  for (const [jobId, value] of entries) {
    const job = value as Partial<ExpectedJob> | string | null;
    // Entries written before expectations had deadlines (a bare path, or no `until`) are expired.
    if (typeof job === 'string' || (job?.until === undefined && typeof job?.path === 'string')) continue;
    if (
      typeof job?.path !== 'string' ||
      typeof job.until !== 'number' ||
      (job.archive !== undefined && typeof job.archive !== 'boolean')
    )
      return damaged();
    jobs[jobId] = { path: job.path, archive: job.archive === true, until: job.until };
  }
  return jobs;

  function damaged(): never {
    throw new CommandRefusal(
      'ERROR_CODE_DATA_LOSS',
      `${file} is not a JSON object of job id → {path, archive, until}`,
      'move the file aside; the Nucleus prepares its running jobs again',
    );
  }
}
