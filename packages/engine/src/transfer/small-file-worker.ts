import { dirname } from 'node:path';
import { OrbitError, type OrbitErrorCode, type OrbitErrorLocation } from '../errors.ts';
import type { ChecksumAlgorithm } from '../hashing/checksum-algorithm.ts';
import { getHashAlgorithm } from '../hashing/hash-registry.ts';
import { type DenoRuntime, type DenoSyncFile, denoRuntime } from '../runtime/deno-runtime.ts';
import { serveRequestsOverlapped } from '../runtime/module-worker.ts';
import { toFsError } from '../scan/fs-error.ts';
import { partialPathFor } from './atomic-file.ts';
import { SourceChangedError, writeError } from './file-sync.ts';
import type { FilesystemSync, FilesystemSyncModule } from './filesystem-sync.ts';
import type { Owner } from './ownership.ts';
import { readSmallSource, removeQuietly, renameSmallTemp, writeSmallTemp } from './small-file-sync.ts';

/** One small file to copy: the source as scanned, and where it goes. */
export interface SmallFileTask {
  readonly source: string;
  readonly target: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number;
  /** Given as root: the temp file gets this owner before it is renamed. */
  readonly owner?: Owner;
}

/** An engine error as it crosses from the worker (an Error's class does not survive postMessage). */
export interface SmallFileError {
  readonly code: OrbitErrorCode;
  readonly message: string;
  readonly location: OrbitErrorLocation;
  readonly hint: string | undefined;
  /** A SourceChangedError, which the job retries. */
  readonly sourceChanged: boolean;
}

export type SmallFileResult =
  | { readonly hash: string; readonly length: number; readonly ownerKept: boolean }
  | { readonly error: SmallFileError };

export type SmallFileWorkerRequest =
  | { readonly kind: 'start'; readonly checksum: ChecksumAlgorithm; readonly syncModule: string | undefined }
  | { readonly kind: 'copy'; readonly files: readonly SmallFileTask[] };

export type SmallFileWorkerResponse = { readonly started: true } | { readonly results: SmallFileResult[] };

/** Turns an error thrown in the worker into what crosses the message boundary. */
export function toSmallFileError(error: unknown): SmallFileError {
  const known =
    error instanceof OrbitError
      ? error
      : new OrbitError('IO', error instanceof Error ? error.message : String(error));
  return {
    code: known.code,
    message: known.message,
    location: known.location,
    hint: known.hint,
    sourceChanged: error instanceof SourceChangedError,
  };
}

/** The main thread's side of `toSmallFileError`. */
export function fromSmallFileError(error: SmallFileError): OrbitError {
  if (error.sourceChanged) return new SourceChangedError(error.location.path ?? '');
  return new OrbitError(error.code, error.message, {
    ...error.location,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  });
}

interface Written {
  readonly index: number;
  readonly task: SmallFileTask;
  readonly temp: string;
  readonly file: DenoSyncFile;
}

/**
 * Copies a batch as `syncSmallFile` copies one file: each file is read, hashed, checked against
 * its scan and written to its temp file; then the batch is made durable (one syncfs per filesystem
 * where the module given at start provides it, else the files' fdatasyncs at once); then each temp
 * file is renamed into place. A file that fails reports its own error and leaves nothing behind.
 * Everything up to the sync runs without a pause; the sync waits off the thread, so the next
 * batch is read and written meanwhile (`serveRequestsOverlapped`).
 */
async function copyBatch(
  deno: DenoRuntime,
  checksum: ChecksumAlgorithm,
  sync: FilesystemSync | undefined,
  files: readonly SmallFileTask[],
): Promise<SmallFileResult[]> {
  const algorithm = getHashAlgorithm(checksum);
  const results: SmallFileResult[] = [];
  const written: Written[] = [];
  for (const [index, task] of files.entries()) {
    const temp = partialPathFor(task.target);
    try {
      const { data, hash } = readSmallSource(
        deno,
        task.source,
        task,
        algorithm,
        undefined,
        scratchFor(task.size),
      );
      const file = writeSmallTemp(deno, temp, data, task);
      try {
        if (task.owner) keepTempOwner(deno, temp, file, task.owner, task.mode);
      } catch (error) {
        file.close();
        removeQuietly(deno, temp);
        throw error;
      }
      written.push({ index, task, temp, file });
      results.push({ hash, length: data.length, ownerKept: task.owner !== undefined });
    } catch (error) {
      results.push({ error: toSmallFileError(error) });
    }
  }
  const folders = [...new Set(written.map((file) => dirname(file.temp)))];
  const synced = written.length > 1 && sync !== undefined && (await sync(folders));
  // Without a filesystem sync the files' fdatasyncs run together on Deno's blocking threads.
  const failures = synced
    ? []
    : await Promise.all(written.map(({ file }) => file.syncData().then(noFailure, asFailure)));
  for (const [at, { index, task, temp, file }] of written.entries()) {
    file.close();
    const failure = failures[at];
    if (failure !== undefined) {
      removeQuietly(deno, temp);
      results[index] = { error: toSmallFileError(asWriteError(temp, failure.error)) };
      continue;
    }
    try {
      renameSmallTemp(deno, temp, task.target);
    } catch (error) {
      results[index] = { error: toSmallFileError(error) };
    }
  }
  return results;
}

/**
 * Gives the temp file `owner` (the process runs as root), so the copy appears with it. chown clears
 * setuid and setgid: such a mode is applied again afterwards. The temp file is this batch's own,
 * created new a moment ago, so setting it by path changes nothing else.
 */
function keepTempOwner(
  deno: DenoRuntime,
  temp: string,
  file: DenoSyncFile,
  owner: Owner,
  mode: number,
): void {
  const info = file.statSync();
  if (info.uid === owner.uid && info.gid === owner.gid) return;
  try {
    deno.chownSync(temp, owner.uid, owner.gid);
    if ((mode & 0o6000) !== 0) deno.chmodSync(temp, mode & 0o7777);
  } catch (error) {
    throw toFsError(error, temp, `give the copy its owner ${owner.uid}:${owner.gid}`);
  }
}

const noFailure = (): undefined => undefined;
const asFailure = (error: unknown): { readonly error: unknown } => ({ error });

function asWriteError(temp: string, error: unknown): unknown {
  try {
    writeError(temp, 'write the temp file')(error);
  } catch (wrapped) {
    return wrapped;
  }
}

/** One read buffer for the batch's files, grown to the largest (small files are at most a chunk). */
let scratch = new Uint8Array(0);
function scratchFor(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 64 * 1024));
  return scratch;
}

let checksum: ChecksumAlgorithm = 'blake3';
let sync: FilesystemSync | undefined;
/** Settles once the start request has loaded the sync: copies wait for it. */
let started: Promise<void> = Promise.resolve();
const deno = denoRuntime();

/** The filesystem sync's module; without it (it failed to load) each file gets its own fdatasync. */
async function importSync(url: string | undefined): Promise<FilesystemSync | undefined> {
  if (url === undefined) return undefined;
  try {
    return ((await import(url)) as FilesystemSyncModule).syncFilesystems;
  } catch {
    return undefined;
  }
}

serveRequestsOverlapped<SmallFileWorkerRequest, SmallFileWorkerResponse>(async (request) => {
  if (!deno) throw new Error('the small-file worker runs under Deno only');
  if (request.kind === 'start') {
    checksum = request.checksum;
    started = importSync(request.syncModule).then((loaded) => {
      sync = loaded;
    });
    await started;
    return { started: true };
  }
  await started;
  return { results: await copyBatch(deno, checksum, sync, request.files) };
});
