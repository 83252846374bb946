import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import { denoRuntime } from '../runtime/deno-runtime.ts';
import { moduleWorkersAvailable, startModuleWorker, type WorkerChannel } from '../runtime/module-worker.ts';
import type { SyncFileOutcome, SyncFileRequest } from './file-sync.ts';
import { filesystemSyncWorkerModule } from './filesystem-sync.ts';
import { finishSmallFile, hasChunk, syncSmallFile } from './small-file-sync.ts';
import {
  fromSmallFileError,
  type SmallFileResult,
  type SmallFileTask,
  type SmallFileWorkerRequest,
  type SmallFileWorkerResponse,
} from './small-file-worker.ts';

interface Waiting {
  readonly request: SyncFileRequest;
  resolve(outcome: SyncFileOutcome): void;
  reject(error: unknown): void;
}

/**
 * Small files copied by a worker thread, in batches: under Deno a tree of small files is mostly
 * system calls and their op overhead (about two thirds of a copy's main-thread time), while the
 * main thread has the scan, the audit chain, the cargo records and progress to do. The worker runs
 * `syncSmallFile`'s steps (small-file-worker.ts); here each file's outcome is reported as that
 * function reports it, so the job cannot tell the two apart. The files a turn of the event loop
 * brings are sent together, up to `batchFiles`, and the worker makes each batch durable at once.
 */
export class SmallFileCopier {
  readonly #checksum: ChecksumAlgorithm;
  readonly #batchFiles: number;
  #worker: { readonly channel: Channel; readonly started: Promise<unknown> } | undefined;
  #pending: Waiting[] = [];
  /** Set once the worker failed: the rest is copied in-thread by `fallback`. */
  #broken = false;
  readonly #fallback: (request: SyncFileRequest) => Promise<SyncFileOutcome>;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** A copier where workers exist (Deno), else undefined: the caller copies in-thread. */
  static create(checksum: ChecksumAlgorithm, batchFiles: number): SmallFileCopier | undefined {
    const deno = denoRuntime();
    if (!deno || !moduleWorkersAvailable()) return undefined;
    return new SmallFileCopier(checksum, batchFiles, (request) => syncSmallFile(request, deno));
  }

  private constructor(
    checksum: ChecksumAlgorithm,
    batchFiles: number,
    fallback: (request: SyncFileRequest) => Promise<SyncFileOutcome>,
  ) {
    this.#checksum = checksum;
    this.#batchFiles = batchFiles;
    this.#fallback = fallback;
  }

  /** Copies one small file (see `takesSmallFilePath`); resolves as `syncSmallFile` would. */
  copy(request: SyncFileRequest): Promise<SyncFileOutcome> {
    request.signal?.throwIfAborted();
    if (this.#broken) return this.#fallback(request);
    return new Promise<SyncFileOutcome>((resolve, reject) => {
      this.#pending.push({ request, resolve, reject });
      if (this.#pending.length >= this.#batchFiles) this.#send();
      // The job's other files in flight reach `copy` within the current turn of the event loop.
      else this.#timer ??= setTimeout(() => this.#send(), 0);
    });
  }

  /** Stops the worker (files still waiting fail); the copier starts a new one if used again. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#worker?.channel.close();
    this.#worker = undefined;
    const error = new Error('the small-file worker was closed');
    for (const waiting of this.#pending.splice(0)) waiting.reject(error);
  }

  #send(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const files: SmallFileTask[] = batch.map(({ request }) => ({
      source: request.source,
      target: request.target,
      size: request.entry.size,
      mtimeMs: request.entry.mtimeMs,
      mode: request.entry.mode,
      ...(request.owner ? { owner: request.owner } : {}),
    }));
    const { channel, started } = this.#start();
    started
      .then(() => channel.request({ kind: 'copy', files }))
      .then(
        (response) => {
          const results = 'results' in response ? response.results : [];
          for (const [index, waiting] of batch.entries()) settle(waiting, results[index]);
        },
        () => this.#workerFailed(batch),
      );
  }

  /**
   * The worker crashed or could not start: its batch is copied again in-thread (a file it already
   * renamed is rewritten with the same bytes), and so is every file after it.
   */
  #workerFailed(batch: readonly Waiting[]): void {
    this.#broken = true;
    this.#worker?.channel.close();
    this.#worker = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const { request, resolve, reject } of [...batch, ...this.#pending.splice(0)]) {
      this.#fallback(request).then(resolve, reject);
    }
  }

  #start(): { readonly channel: Channel; readonly started: Promise<unknown> } {
    if (this.#worker) return this.#worker;
    const channel: Channel = startModuleWorker(
      new URL('./small-file-worker.ts', import.meta.url),
      'small-file worker',
    );
    const started = channel.request({
      kind: 'start',
      checksum: this.#checksum,
      syncModule: filesystemSyncWorkerModule()?.href,
    });
    this.#worker = { channel, started };
    return this.#worker;
  }
}

type Channel = WorkerChannel<SmallFileWorkerRequest, SmallFileWorkerResponse>;

function settle(waiting: Waiting, result: SmallFileResult | undefined): void {
  if (result === undefined) {
    waiting.reject(new Error('the small-file worker answered without this file'));
    return;
  }
  if ('error' in result) {
    waiting.reject(fromSmallFileError(result.error));
    return;
  }
  finish(waiting.request, result).then(waiting.resolve, waiting.reject);
}

async function finish(
  request: SyncFileRequest,
  result: { readonly hash: string; readonly length: number; readonly ownerKept: boolean },
): Promise<SyncFileOutcome> {
  const reused = hasChunk(request, result.length, result.hash);
  request.onProgress?.(result.length, reused ? 0 : result.length);
  const outcome = await finishSmallFile(request, result.length, result.hash, reused);
  return result.ownerKept ? { ...outcome, ownerKept: true } : outcome;
}
