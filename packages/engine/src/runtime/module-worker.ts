import { denoRuntime } from './deno-runtime.ts';

/** The web Worker API as far as the engine uses it (the engine compiles without DOM types). */
interface ModuleWorker<Request, Response> {
  onmessage: ((event: { readonly data: Response }) => void) | null;
  onerror: ((event: { readonly message: string; preventDefault(): void }) => void) | null;
  postMessage(message: Request): void;
  terminate(): void;
}
type ModuleWorkerConstructor = new <Request, Response>(
  url: string,
  options: { type: 'module' },
) => ModuleWorker<Request, Response>;

function workerConstructor(): ModuleWorkerConstructor | undefined {
  const candidate: unknown = Reflect.get(globalThis, 'Worker');
  return typeof candidate === 'function' ? (candidate as ModuleWorkerConstructor) : undefined;
}

/**
 * Workers exist where the engine can start its worker modules directly: under Deno (TypeScript,
 * module workers). Node 20 cannot load a `.ts` worker file, so there the work stays in-thread.
 */
export function moduleWorkersAvailable(): boolean {
  return denoRuntime() !== undefined && workerConstructor() !== undefined;
}

/** A worker that answers every request with one response, in request order. */
export interface WorkerChannel<Request, Response> {
  request(message: Request): Promise<Response>;
  /** A message the worker does not answer. */
  send(message: Request): void;
  /** Stops the worker; requests still waiting, and any made later, fail. */
  close(): void;
}

/**
 * Starts the worker module at `url`. A response carrying `error` (the worker's own failure report)
 * or a crash fails every waiting and later request: a worker that failed once is not trusted with
 * more. `name` prefixes the errors.
 */
export function startModuleWorker<Request, Response extends object>(
  url: URL,
  name: string,
): WorkerChannel<Request, Response> {
  const Worker = workerConstructor();
  if (!Worker) throw new Error(`this runtime has no Worker for the ${name}`);
  const worker = new Worker<Request, Response>(url.href, { type: 'module' });
  const waiting: { resolve: (response: Response) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const entry of waiting.splice(0)) entry.reject(failure);
  };
  worker.onmessage = (event) => {
    const response = event.data;
    if ('error' in response) fail(new Error(`${name}: ${String(response.error)}`));
    else waiting.shift()?.resolve(response);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    fail(new Error(`${name} failed: ${event.message}`));
  };
  return {
    request: (message) => {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(message);
      });
    },
    send: (message) => {
      if (!failure) worker.postMessage(message);
    },
    close: () => {
      worker.terminate();
      fail(new Error(`the ${name} was closed`));
    },
  };
}

interface WorkerScope<Request, Response> {
  onmessage: ((event: { readonly data: Request }) => void) | null;
  postMessage(message: Response | { readonly error: string }): void;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The worker's side: answers each request with what `handle` returns (nothing when it returns
 * undefined), or with `{ error }` when it throws.
 */
export function serveRequests<Request, Response>(handle: (request: Request) => Response | undefined): void {
  const scope = globalThis as unknown as WorkerScope<Request, Response>;
  scope.onmessage = (event) => {
    try {
      const response = handle(event.data);
      if (response !== undefined) scope.postMessage(response);
    } catch (error) {
      scope.postMessage({ error: errorMessage(error) });
    }
  };
}

/**
 * As `serveRequests` for a handler that waits: each request is handled as soon as it arrives, so
 * one request's waits (a disk sync) overlap the next one's work; a handler's steps up to its first
 * wait still run alone, and the responses go out in request order, as `startModuleWorker` expects.
 * A request that must see an earlier one finish (a start-up) waits for it itself.
 */
export function serveRequestsOverlapped<Request, Response>(
  handle: (request: Request) => Promise<Response | undefined>,
): void {
  const scope = globalThis as unknown as WorkerScope<Request, Response>;
  let previous: Promise<void> = Promise.resolve();
  scope.onmessage = (event) => {
    // Settled at once into a value: a failure waits for its turn without being an unhandled rejection.
    const handled = handleNow(handle, event.data).then(
      (response) => ({ response }),
      (error: unknown) => ({ error: errorMessage(error) }),
    );
    previous = previous.then(async () => {
      const outcome = await handled;
      if ('error' in outcome) scope.postMessage({ error: outcome.error });
      else if (outcome.response !== undefined) scope.postMessage(outcome.response);
    });
  };
}

/** Starts `handle` at once; a synchronous throw becomes a rejection. */
async function handleNow<Request, Response>(
  handle: (request: Request) => Promise<Response | undefined>,
  request: Request,
): Promise<Response | undefined> {
  return await handle(request);
}
